package dev.onboard.gateway.spi;

/**
 * Where an adapter delivers what it observed. The gateway's pipeline implements it and hands each
 * call once to liveness, the outbox and the evidence ledger.
 *
 * <p>Thread-safety: every method may be called from any adapter thread, concurrently. Calls are
 * cheap and never block on I/O, so adapters call them on their receive threads.
 */
public interface EventSink {

  void reading(Reading reading);

  /**
   * Readings received together (one message, one notification batch), in order. Each is treated
   * exactly as by {@link #reading}; a sink may store them with one write (the gateway's outbox
   * does, one {@code write()} instead of one per value), so adapters pass what arrived together in
   * one call. Same thread-safety as {@link #reading}.
   */
  default void readings(java.util.List<Reading> batch) {
    for (Reading r : batch) {
      reading(r);
    }
  }

  void event(DeviceEvent event);

  /** The adapter's connection changed state; the gateway keeps only the latest per source. */
  void sourceStatus(SourceStatus status);
}
