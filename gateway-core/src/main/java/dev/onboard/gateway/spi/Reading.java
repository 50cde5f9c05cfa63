package dev.onboard.gateway.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One value of one tag of one device.
 *
 * @param deviceId the inventory device id
 * @param tag the signal's name on that device, e.g. {@code SpindleSpeed}
 * @param value a {@link Double}, {@link Long}, {@link Boolean} or {@link String}; {@code null} only
 *     with {@link Quality#BAD}
 * @param sourceTime when the equipment says the value was measured (its own clock, may be skewed)
 * @param receiveTime when the gateway received it, from the adapter's {@link
 *     AdapterContext#clock()}
 * @param quality as reported by the equipment
 * @param historical true for values replayed from the equipment's store (Sparkplug {@code
 *     is_historical}): kept, but never counted as online time
 */
public record Reading(
    String deviceId,
    String tag,
    Object value,
    Instant sourceTime,
    Instant receiveTime,
    Quality quality,
    boolean historical) {

  public Reading {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(sourceTime, "sourceTime");
    Objects.requireNonNull(receiveTime, "receiveTime");
    Objects.requireNonNull(quality, "quality");
    if (value == null && quality != Quality.BAD) {
      throw new IllegalArgumentException("a missing value must have BAD quality: " + tag);
    }
    if (value != null
        && !(value instanceof Double
            || value instanceof Long
            || value instanceof Boolean
            || value instanceof String)) {
      throw new IllegalArgumentException(
          "value of " + tag + " must be Double, Long, Boolean or String, was " + value.getClass());
    }
  }

  /** A live (not historical) reading. */
  public static Reading of(
      String deviceId,
      String tag,
      Object value,
      Instant sourceTime,
      Instant receiveTime,
      Quality quality) {
    return new Reading(deviceId, tag, value, sourceTime, receiveTime, quality, false);
  }
}
