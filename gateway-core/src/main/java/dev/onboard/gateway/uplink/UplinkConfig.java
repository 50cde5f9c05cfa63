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
    int writers) {

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
  }

  /**
   * Sensible defaults for an edge box: batches of 5,000 points, two in flight, 10 s timeout, 1–30 s
   * backoff, gzip.
   */
  public static UplinkConfig of(URI url, String database) {
    return new UplinkConfig(
        url,
        database,
        "",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        5_000,
        1 << 20,
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        true,
        2);
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
        writers);
  }
}
