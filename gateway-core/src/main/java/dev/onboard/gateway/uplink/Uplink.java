package dev.onboard.gateway.uplink;

import dev.onboard.gateway.outbox.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to InfluxDB, in order, one batch at a time, on its own thread ({@code
 * onboard-uplink}). A batch leaves the outbox only when the store has it (or refused it as bad
 * data, which retrying cannot fix); while the store is away or refuses the gateway, the uplink
 * waits with exponential backoff and keeps everything. This is the one place that retries.
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

  public Uplink(Outbox outbox, UplinkConfig config, Clock clock) {
    this.outbox = outbox;
    this.config = config;
    this.influx = new InfluxHttp(config);
    this.clock = clock;
    this.status = new UplinkStatus(UplinkStatus.State.STOPPED, "", clock.instant(), 0, 0, "");
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
        Outbox.Batch batch = outbox.peek(config.batchPoints(), config.batchBytes());
        if (batch.records().isEmpty()) {
          outbox.awaitPoints(500);
          continue;
        }
        WriteResult result = influx.write(batch.body());
        switch (result.outcome()) {
          case STORED -> {
            outbox.commit(batch);
            delivered.addAndGet(batch.records().size());
            setState(UplinkStatus.State.DELIVERING, "");
            backoff = config.minBackoff();
          }
          case BAD_DATA -> {
            // InfluxDB stored the well-formed points and names the others: retrying cannot help,
            // and holding the batch would block everything behind it forever.
            outbox.commit(batch);
            refused.addAndGet(batch.records().size());
            log.error(
                "central store refused points as bad data (HTTP 400), batch of {} skipped: {}",
                batch.records().size(),
                result.detail());
            lastError = "HTTP 400, batch refused as bad data: " + result.detail();
            setState(UplinkStatus.State.DELIVERING, "");
          }
          case REFUSED -> {
            setState(
                UplinkStatus.State.STORE_REFUSED,
                "HTTP " + result.status() + ": " + result.detail());
            backoff = pause(backoff);
          }
          case AWAY -> {
            setState(
                UplinkStatus.State.STORE_AWAY,
                result.status() == 0
                    ? result.detail()
                    : "HTTP " + result.status() + ": " + result.detail());
            backoff = pause(backoff);
          }
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
  }
}
