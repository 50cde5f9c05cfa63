package dev.onboard.gateway.uplink;

import dev.onboard.gateway.spi.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to deliver points to InfluxDB (1.x, or 2.x/3.x through their v1-compatible
 * endpoints). Immutable.
 *
 * @param url the server's base URL, e.g. {@code http://10.0.0.5:8086}
 * @param database the database (1.x) or the bucket mapped to it (2.x/3.x)
 * @param retentionPolicy empty for the database's default
 * @param username with {@code password}, sent as HTTP basic auth (1.x)
 * @param password from env or file
 * @param token a 2.x/3.x API token, sent as {@code Authorization: Token ...}
 * @param batchPoints the most points in one write
 * @param batchBytes about the most bytes of line protocol in one write
 * @param requestTimeout how long one write may take before the store counts as away
 * @param minBackoff first wait after a failed write; doubled each time up to {@code maxBackoff}
 * @param maxBackoff longest wait between attempts
 * @param gzip compress write bodies
 * @param writers how many batches may be in flight to the store at once (1–8); the outbox is
 *     committed only over batches the store has, in order, whatever order the answers come in
 * @param linger the longest a telemetry point waits for its batch to fill (1 ms to 1 min): a batch
 *     goes when it holds {@code batchPoints} points or when its oldest point has waited this long.
 *     Evidence (status, presence, checkpoints) goes at once, and a backlog goes in full batches
 */
public record UplinkConfig(
    URI url,
    String database,
    String retentionPolicy,
    Optional<String> username,
    Optional<Secret> password,
    Optional<Secret> token,
    int batchPoints,
    int batchBytes,
    Duration requestTimeout,
    Duration minBackoff,
    Duration maxBackoff,
    boolean gzip,
    int writers,
    Duration linger) {

  /** The longest {@link #linger}: longer would hold the platform's view of telemetry back. */
  public static final Duration MAX_LINGER = Duration.ofMinutes(1);

  public UplinkConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(retentionPolicy, "retentionPolicy");
    if (batchPoints < 1 || batchBytes < 1024) {
      throw new IllegalArgumentException("batch too small");
    }
    if (writers < 1 || writers > 8) {
      throw new IllegalArgumentException("writers must be 1 to 8");
    }
    Objects.requireNonNull(linger, "linger");
    if (linger.toMillis() < 1 || linger.compareTo(MAX_LINGER) > 0) {
      throw new IllegalArgumentException("linger must be 1 ms to 1 min, not " + linger);
    }
  }

  /**
   * Sensible defaults for an edge box: batches of 20,000 points (at most 4 MiB), two in flight, a
   * partial batch sent once its oldest point has waited 1 s, 10 s timeout, 1–30 s backoff, gzip.
   * InfluxDB 1.x spends markedly less CPU per point on larger batches (it fsyncs its WAL and groups
   * values by series once per write): BENCHMARKS.md › Central store.
   */
  public static UplinkConfig of(URI url, String database) {
    return new UplinkConfig(
        url,
        database,
        "",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        20_000,
        4 << 20,
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        true,
        2,
        Duration.ofSeconds(1));
  }

  /** This configuration with {@code writers} batches in flight. */
  public UplinkConfig withWriters(int writers) {
    return new UplinkConfig(
        url,
        database,
        retentionPolicy,
        username,
        password,
        token,
        batchPoints,
        batchBytes,
        requestTimeout,
        minBackoff,
        maxBackoff,
        gzip,
        writers,
        linger);
  }
}
