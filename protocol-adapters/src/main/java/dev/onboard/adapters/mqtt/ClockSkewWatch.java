package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Flags a device {@link DeviceEvent.Flag#CLOCK_SKEW} once when a live reading's source time is
 * further than the tolerance from its receive time, and again only after its clock came back within
 * it. Historical readings are never checked. Source times behind the receive time are not judged
 * while a reconnect's backlog is being delivered (a persistent session hands over messages that
 * waited at the broker: late, not skewed). Thread-safe.
 */
final class ClockSkewWatch {

  private final Duration tolerance;
  // Negated once here: Duration.negated() goes through BigDecimal, too dear for every sample.
  private final Duration negatedTolerance;
  private final Map<String, Boolean> flagged = new ConcurrentHashMap<>();
  private volatile Instant backlogUntil = Instant.MIN;

  ClockSkewWatch(Duration tolerance) {
    this.tolerance = tolerance;
    this.negatedTolerance = tolerance.negated();
  }

  /** A (re)connect at {@code now}: late source times are not judged for the next {@code window}. */
  void connected(Instant now, Duration window) {
    backlogUntil = now.plus(window);
  }

  void check(Reading r, EventSink sink) {
    if (r.historical()) {
      return;
    }
    Duration skew = Duration.between(r.receiveTime(), r.sourceTime());
    boolean ahead = skew.compareTo(tolerance) > 0;
    boolean behind = skew.compareTo(negatedTolerance) < 0;
    if (behind && r.receiveTime().isBefore(backlogUntil)) {
      return;
    }
    if (ahead || behind) {
      if (flagged.put(r.deviceId(), Boolean.TRUE) == null) {
        sink.event(
            new DeviceEvent.Flagged(
                r.deviceId(),
                r.receiveTime(),
                DeviceEvent.Flag.CLOCK_SKEW,
                String.format(
                    java.util.Locale.ROOT,
                    "source timestamps are %.1f s %s the gateway clock (tolerance %.1f s)",
                    Math.abs(skew.toMillis()) / 1000.0,
                    ahead ? "ahead of" : "behind",
                    tolerance.toMillis() / 1000.0)));
      }
    } else if (!flagged.isEmpty()) {
      flagged.remove(r.deviceId());
    }
  }
}
