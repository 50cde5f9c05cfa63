package dev.onboard.gateway.pipeline;

import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.liveness.DeviceView;
import dev.onboard.gateway.liveness.StateChange;
import dev.onboard.gateway.outbox.Outbox;
import dev.onboard.gateway.outbox.OutboxConfig;
import dev.onboard.gateway.outbox.OutboxStats;
import dev.onboard.gateway.outbox.PointClass;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.uplink.Uplink;
import dev.onboard.gateway.uplink.UplinkConfig;
import dev.onboard.gateway.uplink.UplinkStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path to the central store: points go into the outbox, and the uplink (when configured)
 * delivers them. Without an {@code uplink:} the outbox keeps what it would send, up to its quota.
 *
 * <p>Lifecycle: {@link #start()} opens the outbox (I/O) and starts the uplink; {@link #close()}
 * stops the uplink, then closes the outbox. Points offered before start or after close are not kept
 * and are counted as lost. Thread-safety: the point methods may be called from any thread.
 */
public final class CentralStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CentralStore.class);

  /**
   * Telemetry bytes encoded before they go to the outbox: under what the outbox stages per write
   * (256 KiB), so one append is one write, and within a 128 KiB buffer per delivery thread.
   */
  static final int APPEND_BYTES = 120 << 10;

  /** How often the gateway reports itself in {@code gateway_heartbeat}. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(10);

  private final OutboxConfig outboxConfig;
  private final Optional<UplinkConfig> uplinkConfig;
  private final PointEncoder encoder;
  private final Clock clock;
  private final AtomicLong writeFailures = new AtomicLong();
  // Each delivery thread encodes telemetry into its own buffer, reused for every batch.
  private final ThreadLocal<LineBuffer> buffer = ThreadLocal.withInitial(LineBuffer::new);
  private volatile Outbox outbox;
  private volatile Uplink uplink;
  private long lastHeartbeatTick = -1;

  public CentralStore(
      OutboxConfig outbox, Optional<UplinkConfig> uplink, PointEncoder encoder, Clock clock) {
    this.outboxConfig = outbox;
    this.uplinkConfig = uplink;
    this.encoder = encoder;
    this.clock = clock;
  }

  public synchronized void start() throws IOException {
    if (outbox != null) {
      return;
    }
    outbox = Outbox.open(outboxConfig, clock);
    OutboxStats s = outbox.stats();
    if (s.telemetryDepth() + s.evidenceDepth() > 0) {
      log.info(
          "outbox holds {} points from before; delivering them first",
          s.telemetryDepth() + s.evidenceDepth());
    }
    if (uplinkConfig.isPresent()) {
      uplink = new Uplink(outbox, uplinkConfig.get(), clock);
      uplink.start();
    } else {
      log.warn(
          "no uplink configured: points wait in the outbox ({}), up to its quota",
          outboxConfig.dir());
    }
  }

  public void telemetry(Reading r) {
    telemetry(java.util.List.of(r));
  }

  /**
   * Readings received together, encoded into the calling thread's buffer and appended to the outbox
   * with one write per {@link #APPEND_BYTES} (the outbox writes in pieces of that size anyway): no
   * String or byte array per sample, and a buffer per delivery thread that stays small.
   */
  public void telemetry(java.util.List<Reading> batch) {
    if (batch.isEmpty()) {
      return;
    }
    Outbox o = outbox;
    if (o == null) {
      writeFailures.addAndGet(batch.size());
      return;
    }
    LineBuffer lines = buffer.get();
    lines.clear();
    for (int i = 0; i < batch.size(); i++) {
      encoder.telemetry(batch.get(i), lines);
      if (lines.size() >= APPEND_BYTES || i == batch.size() - 1) {
        try {
          o.appendAll(PointClass.TELEMETRY, lines.bytes(), lines.ends(), lines.lines());
        } catch (UncheckedIOException e) {
          writeFailed(lines.lines(), e);
        }
        lines.clear();
      }
    }
  }

  public void status(StateChange change, DeviceView now) {
    append(PointClass.STATUS, encoder.status(change, now));
  }

  /** Every device's presence in a minute, forced to disk once for all of them. */
  public void presence(java.util.List<dev.onboard.gateway.liveness.PresenceRecord> minute) {
    Outbox o = outbox;
    if (o == null) {
      writeFailures.addAndGet(minute.size());
      return;
    }
    java.util.List<String> lines = new java.util.ArrayList<>(minute.size());
    minute.forEach(p -> lines.add(encoder.presence(p)));
    try {
      o.appendAll(PointClass.PRESENCE, lines);
    } catch (UncheckedIOException e) {
      writeFailures.addAndGet(minute.size());
      log.error("outbox write of presence failed: {}", e.getCause().toString());
    }
  }

  /**
   * A signed ledger checkpoint, sent as witness so the gateway cannot later rewrite its history.
   */
  public void checkpoint(dev.onboard.gateway.ledger.Checkpoint c) {
    append(PointClass.EVIDENCE, encoder.checkpoint(c));
  }

  /** Whether the store has accepted every evidence point written so far. */
  public boolean evidenceDelivered() {
    Outbox o = outbox;
    Uplink u = uplink;
    return o != null
        && u != null
        && u.status().state() == UplinkStatus.State.DELIVERING
        && o.stats().evidenceDepth() == 0;
  }

  /** Called on every liveness sweep; writes a heartbeat when a new heartbeat interval began. */
  public void tick(Instant now, Map<DeviceState, Long> counts) {
    long tick = now.toEpochMilli() / HEARTBEAT.toMillis() * HEARTBEAT.toMillis();
    synchronized (this) {
      if (tick == lastHeartbeatTick || outbox == null) {
        return;
      }
      lastHeartbeatTick = tick;
    }
    Map<String, Long> byName = new LinkedHashMap<>();
    counts.forEach((k, v) -> byName.put(k.name(), v));
    OutboxStats s = outbox.stats();
    append(
        PointClass.EVIDENCE,
        encoder.heartbeat(
            tick, byName, s.telemetryDepth() + s.evidenceDepth(), s.droppedTelemetry()));
  }

  private void append(PointClass pointClass, String line) {
    Outbox o = outbox;
    if (o == null) {
      writeFailures.incrementAndGet();
      return;
    }
    try {
      o.append(pointClass, line);
    } catch (UncheckedIOException e) {
      writeFailed(1, e);
    }
  }

  /**
   * A full or failing disk must not stop the adapters: the points are counted and shown in the
   * status, and logged once per 10,000 failures (the first, the 10,001st, …) so a dead disk cannot
   * flood the log.
   */
  private void writeFailed(int points, UncheckedIOException e) {
    long before = writeFailures.getAndAdd(points);
    if (before % 10_000 == 0 || before / 10_000 != (before + points - 1) / 10_000) {
      log.error(
          "outbox write failed ({} so far): {}", writeFailures.get(), e.getCause().toString());
    }
  }

  /** The outbox's state; empty before start. */
  public Optional<OutboxStats> outboxStats() {
    Outbox o = outbox;
    return o == null ? Optional.empty() : Optional.of(o.stats());
  }

  /** Points that could not be written to the outbox at all (disk failure, not started). */
  public long writeFailures() {
    return writeFailures.get();
  }

  public UplinkStatus uplinkStatus() {
    Uplink u = uplink;
    if (u != null) {
      return u.status();
    }
    return new UplinkStatus(
        uplinkConfig.isEmpty() ? UplinkStatus.State.NOT_CONFIGURED : UplinkStatus.State.STOPPED,
        uplinkConfig.isEmpty() ? "no uplink: section in the configuration" : "",
        clock.instant(),
        0,
        0,
        "");
  }

  @Override
  public synchronized void close() {
    if (uplink != null) {
      uplink.close();
    }
    if (outbox != null) {
      try {
        outbox.close();
      } catch (IOException e) {
        log.warn("closing the outbox: {}", e.toString());
      }
    }
  }
}
