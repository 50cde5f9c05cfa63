package dev.onboard.gateway.uplink;

import dev.onboard.gateway.outbox.Outbox;
import dev.onboard.gateway.outbox.Record;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to InfluxDB, in order, on its own thread ({@code onboard-uplink}), with up to
 * {@link UplinkConfig#writers()} batches in flight (the others on {@code onboard-uplink-writer-N}
 * threads) because one InfluxDB takes more from two writers than from one. Telemetry is batched by
 * size and time: a batch goes when full or when its oldest point has waited {@link
 * UplinkConfig#linger()} (by the clock given, the outbox's), evidence at once. Points leave the
 * outbox only when the store has every batch before them (or refused them as bad data, which
 * retrying cannot fix); while the store is away or refuses the gateway, the uplink waits with
 * exponential backoff and keeps everything. This is the one place that retries.
 *
 * <p>Lifecycle: {@link #start()} and {@link #close()} are idempotent. Thread-safety: status may be
 * read from any thread.
 */
public final class Uplink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Uplink.class);

  private final Outbox outbox;
  private final UplinkConfig config;
  private final InfluxHttp influx;
  private final Clock clock;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile UplinkStatus status;
  private Thread thread;
  private volatile boolean running;
  private volatile String lastError = "";
  private final ExecutorService writers;
  // Set by nextChunk on the delivery thread only.
  private long waitingFor;

  public Uplink(Outbox outbox, UplinkConfig config, Clock clock) {
    this.outbox = outbox;
    this.config = config;
    this.influx = new InfluxHttp(config);
    this.clock = clock;
    this.status = new UplinkStatus(UplinkStatus.State.STOPPED, "", clock.instant(), 0, 0, "");
    AtomicInteger n = new AtomicInteger();
    this.writers =
        Executors.newFixedThreadPool(
            Math.max(1, config.writers() - 1),
            r -> {
              Thread t = new Thread(r, "onboard-uplink-writer-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "onboard-uplink");
    thread.setDaemon(true);
    thread.start();
  }

  public UplinkStatus status() {
    return status;
  }

  private void run() {
    Duration backoff = config.minBackoff();
    while (running) {
      try {
        long appends = outbox.appendCount();
        Outbox.Batch chunk = nextChunk();
        if (chunk == null) {
          outbox.awaitPoints(500);
          continue;
        }
        if (chunk.records().isEmpty()) {
          // Only a partial batch of telemetry, younger than the linger: wait for it to fill or age.
          outbox.awaitAppendAfter(appends, waitingFor);
          continue;
        }
        List<Outbox.Batch> parts = split(chunk);
        List<WriteResult> results = writeAll(parts);
        WriteResult failed = null;
        for (WriteResult r : results) {
          if (r.outcome() == WriteResult.Outcome.REFUSED
              || r.outcome() == WriteResult.Outcome.AWAY) {
            failed = r;
            break;
          }
        }
        if (failed == null) {
          // Every part is stored or refused as bad data: the whole run leaves the outbox at once,
          // so the cursor only ever passes points the store has.
          outbox.commit(chunk);
          for (int i = 0; i < parts.size(); i++) {
            account(parts.get(i), results.get(i));
          }
          setState(UplinkStatus.State.DELIVERING, "");
          backoff = config.minBackoff();
        } else {
          // Parts that were stored go again with the rest; their fixed timestamps make the second
          // write overwrite the first.
          setState(
              failed.outcome() == WriteResult.Outcome.REFUSED
                  ? UplinkStatus.State.STORE_REFUSED
                  : UplinkStatus.State.STORE_AWAY,
              failed.status() == 0
                  ? failed.detail()
                  : "HTTP " + failed.status() + ": " + failed.detail());
          backoff = pause(backoff);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // Never let the only delivery thread die: report, wait, go on.
        log.error("uplink failed; retrying", e);
        setState(UplinkStatus.State.STORE_AWAY, e.toString());
        try {
          backoff = pause(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void account(Outbox.Batch part, WriteResult result) {
    if (result.outcome() == WriteResult.Outcome.STORED) {
      delivered.addAndGet(part.records().size());
      return;
    }
    // HTTP 400: InfluxDB stored the well-formed points and names the others. Retrying cannot
    // help, and holding the batch would block everything behind it forever.
    refused.addAndGet(part.records().size());
    log.error(
        "central store refused points as bad data (HTTP 400), batch of {} skipped: {}",
        part.records().size(),
        result.detail());
    lastError = "HTTP 400, batch refused as bad data: " + result.detail();
  }

  /**
   * The points to write now, up to one batch per writer: null when the outbox is empty, an empty
   * chunk when only a partial batch of telemetry waits and is younger than the linger (then {@link
   * #waitingFor} says for how many ms).
   */
  private Outbox.Batch nextChunk() {
    int maxPoints = config.batchPoints() * config.writers();
    int maxBytes = config.batchBytes() * config.writers();
    // One point more than fits tells whether more wait behind, so the last batch cannot grow.
    Outbox.Batch peeked = outbox.peek(maxPoints + 1, maxBytes);
    List<Record> records = peeked.records();
    if (records.isEmpty()) {
      return null;
    }
    boolean moreBehind = records.size() > maxPoints;
    if (moreBehind) {
      records = records.subList(0, maxPoints);
    } else {
      // A peek cut by its byte limit may have more behind it; sending early is harmless.
      moreBehind = bodyBytes(records) >= maxBytes;
    }
    if (peeked.evidence()) {
      return new Outbox.Batch(true, records);
    }
    long now = clock.millis();
    long linger = config.linger().toMillis();
    int due =
        Batching.due(records, moreBehind, config.batchPoints(), config.batchBytes(), linger, now);
    if (due == 0) {
      waitingFor =
          Batching.untilDue(records, config.batchPoints(), config.batchBytes(), linger, now);
    }
    return new Outbox.Batch(false, records.subList(0, due));
  }

  private static long bodyBytes(List<Record> records) {
    long bytes = 0;
    for (Record r : records) {
      bytes += r.payload().length + 1;
    }
    return bytes;
  }

  /** Cuts a chunk into batches of at most batchPoints points and about batchBytes bytes. */
  private List<Outbox.Batch> split(Outbox.Batch chunk) {
    List<Outbox.Batch> parts = new ArrayList<>(config.writers());
    for (List<Record> part :
        Batching.split(chunk.records(), config.batchPoints(), config.batchBytes())) {
      parts.add(new Outbox.Batch(chunk.evidence(), part));
    }
    return parts;
  }

  /** Writes the parts at once, the first on this thread and the others on the writer threads. */
  private List<WriteResult> writeAll(List<Outbox.Batch> parts) throws InterruptedException {
    List<Future<WriteResult>> others = new ArrayList<>(parts.size());
    for (int i = 1; i < parts.size(); i++) {
      Outbox.Batch part = parts.get(i);
      // Each writer builds (and compresses) its own body, so the parts are prepared in parallel.
      others.add(writers.submit(() -> influx.write(part.body())));
    }
    List<WriteResult> results = new ArrayList<>(parts.size());
    try {
      results.add(influx.write(parts.get(0).body()));
      for (Future<WriteResult> f : others) {
        results.add(f.get());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("a write to the central store failed", e.getCause());
    } finally {
      for (Future<WriteResult> f : others) {
        f.cancel(true);
      }
    }
    return results;
  }

  private Duration pause(Duration backoff) throws InterruptedException {
    Thread.sleep(backoff.toMillis());
    Duration next = backoff.multipliedBy(2);
    return next.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : next;
  }

  private void setState(UplinkStatus.State state, String detail) {
    UplinkStatus before = status;
    if (!detail.isEmpty()) {
      lastError = detail;
    }
    if (before.state() != state) {
      if (state == UplinkStatus.State.DELIVERING) {
        log.info("central store reachable: delivering");
      } else {
        log.warn("central store {}: {}", state, detail);
      }
    }
    status =
        new UplinkStatus(
            state,
            detail,
            before.state() == state ? before.since() : clock.instant(),
            delivered.get(),
            refused.get(),
            lastError);
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      t = thread;
      running = false;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // The writers serve the delivery thread only, so they stop after it.
    writers.shutdownNow();
  }
}
