package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.spi.Skew;
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
  private final long toleranceNanos;
  private final long clearWithinNanos;
  private final Map<String, Boolean> flagged = new ConcurrentHashMap<>();
  private volatile Instant backlogUntil = Instant.MIN;

  ClockSkewWatch(Duration tolerance) {
    this.tolerance = tolerance;
    this.toleranceNanos = saturatedNanos(tolerance);
    this.clearWithinNanos = saturatedNanos(tolerance.dividedBy(2));
  }

  /** A (re)connect at {@code now}: late source times are not judged for the next {@code window}. */
  void connected(Instant now, Duration window) {
    backlogUntil = now.plus(window);
  }

  void check(Reading r, EventSink sink) {
    if (r.historical() || r.quality() == Quality.STALE) {
      return;
    }
    long skew = Skew.nanosBetween(r.receiveTime(), r.sourceTime());
    boolean ahead = skew > toleranceNanos;
    boolean behind = skew < -toleranceNanos;
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
                    seconds(skew),
                    ahead ? "ahead of" : "behind",
                    tolerance.toMillis() / 1000.0)));
      }
    } else if (!flagged.isEmpty()
        && skew >= -clearWithinNanos
        && skew <= clearWithinNanos
        && flagged.remove(r.deviceId()) != null) {
      sink.event(
          new DeviceEvent.FlagCleared(
              r.deviceId(),
              r.receiveTime(),
              DeviceEvent.Flag.CLOCK_SKEW,
              String.format(
                  java.util.Locale.ROOT,
                  "source timestamps within %.1f s of the gateway clock again",
                  seconds(skew))));
    }
  }

  private static long saturatedNanos(Duration d) {
    return d.getSeconds() >= Skew.LIMIT_NANOS / 1_000_000_000L ? Skew.LIMIT_NANOS : d.toNanos();
  }

  /** The skew's size in seconds as the messages print it: whole milliseconds, rounded down. */
  private static double seconds(long skewNanos) {
    return Math.abs(Duration.ofNanos(skewNanos).toMillis()) / 1000.0;
  }
}
