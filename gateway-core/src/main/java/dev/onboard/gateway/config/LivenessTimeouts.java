package dev.onboard.gateway.config;

import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.Settings;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How long a device may stay silent: after {@code staleAfter} without Good data or a keep-alive it
 * is STALE, after {@code offlineAfter} it is OFFLINE. Set for the gateway, overridden per source,
 * then per device (an MQTT device's expected interval drives its own).
 *
 * @param staleAfter silence after which an online device is STALE; positive
 * @param offlineAfter silence after which a device is OFFLINE; longer than {@code staleAfter}
 */
public record LivenessTimeouts(Duration staleAfter, Duration offlineAfter) {

  /** Defaults for equipment sampled every second or faster. */
  public static final LivenessTimeouts DEFAULT =
      new LivenessTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15));

  public LivenessTimeouts {
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(offlineAfter, "offlineAfter");
    if (offlineAfter.compareTo(staleAfter) <= 0) {
      throw new IllegalArgumentException("offlineAfter must be longer than staleAfter");
    }
  }

  /** Reads a {@code liveness:} section, each key defaulting to {@code parent}'s. */
  static LivenessTimeouts read(Settings section, LivenessTimeouts parent) throws ConfigException {
    section.rejectUnknownKeys(Set.of("staleAfter", "offlineAfter"));
    Duration stale = section.duration("staleAfter", parent.staleAfter());
    Duration offline = section.duration("offlineAfter", parent.offlineAfter());
    if (offline.compareTo(stale) <= 0) {
      throw section.error(
          "offlineAfter",
          "is " + offline + ", not longer than staleAfter (" + stale + ")",
          "make offlineAfter longer than staleAfter, e.g. three times it");
    }
    return new LivenessTimeouts(stale, offline);
  }
}
