package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Flags a device {@link DeviceEvent.Flag#CLOCK_SKEW} once when a live reading's source time is
 * further than the tolerance from its receive time, and clears the flag ({@link
 * DeviceEvent.FlagCleared}) once a reading comes within half the tolerance: the margin keeps a
 * clock drifting at the limit from raising and clearing on every message (the OPC UA adapter uses
 * the same rule). Historical readings and {@link Quality#STALE} re-sends of a dead device's last
 * values (stamped by the gateway, not the device) are never checked. Source times behind the
 * receive time are not judged while a reconnect's backlog is being delivered (a persistent session
 * hands over messages that waited at the broker: late, not skewed). Thread-safe.
 */
final class ClockSkewWatch {

  private final Duration tolerance;
  // Negated once here: Duration.negated() goes through BigDecimal, too dear for every sample.
  private final Duration negatedTolerance;
  private final Duration clearWithin;
  private final Map<String, Boolean> flagged = new ConcurrentHashMap<>();
  private volatile Instant backlogUntil = Instant.MIN;

  ClockSkewWatch(Duration tolerance) {
    this.tolerance = tolerance;
    this.negatedTolerance = tolerance.negated();
    this.clearWithin = tolerance.dividedBy(2);
  }

  /** A (re)connect at {@code now}: late source times are not judged for the next {@code window}. */
  void connected(Instant now, Duration window) {
    backlogUntil = now.plus(window);
  }

  void check(Reading r, EventSink sink) {
    if (r.historical() || r.quality() == Quality.STALE) {
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
    } else if (!flagged.isEmpty()
        && skew.abs().compareTo(clearWithin) <= 0
        && flagged.remove(r.deviceId()) != null) {
      sink.event(
          new DeviceEvent.FlagCleared(
              r.deviceId(),
              r.receiveTime(),
              DeviceEvent.Flag.CLOCK_SKEW,
              String.format(
                  java.util.Locale.ROOT,
                  "source timestamps within %.1f s of the gateway clock again",
                  Math.abs(skew.toMillis()) / 1000.0)));
    }
  }
}
