package dev.onboard.meter.verification;

import java.time.Instant;

/**
 * What a device's evidence shows over its observation window: the input of {@link Verifier}.
 *
 * <p>Immutable and thread-safe. Times are instants; durations are milliseconds.
 *
 * @param windowStart start of the first evidence row with Good samples, or {@code null} when the
 *     device never produced Good data (the window then does not exist)
 * @param windowEnd {@code windowStart} + the policy's window length, or {@code null}
 * @param onlineMillis online time inside the window; a row straddling an edge counts pro rata
 *     (floored to the millisecond)
 * @param valueChanges value changes of the rows that overlap the window
 * @param maxClockSkewMillis largest clock skew of the rows that overlap the window
 * @param arrivedCentral some row with Good samples arrived on the central store
 */
public record EvidenceSummary(
    Instant windowStart,
    Instant windowEnd,
    long onlineMillis,
    long valueChanges,
    long maxClockSkewMillis,
    boolean arrivedCentral) {

  /** A device with no evidence at all. */
  public static final EvidenceSummary NONE = new EvidenceSummary(null, null, 0, 0, 0, false);

  /** True when some row had Good samples. */
  public boolean hasGoodData() {
    return windowStart != null;
  }

  /** The window length in milliseconds (0 without Good data). */
  public long windowMillis() {
    return windowStart == null ? 0 : windowEnd.toEpochMilli() - windowStart.toEpochMilli();
  }
}
