package dev.onboard.meter.verification;

import java.time.Instant;
import java.util.Objects;

/**
 * One summary of a device's evidence over a period (one row of evidence.csv). Time not covered by
 * any row counts as offline.
 *
 * <p>Immutable and thread-safe.
 *
 * @param deviceId the device
 * @param periodStart start of the period (inclusive)
 * @param periodEnd end of the period (exclusive), after {@code periodStart}
 * @param onlineSeconds seconds online within the period, 0 … period length
 * @param goodSamples samples of Good quality
 * @param valueChanges how often a value changed
 * @param maxClockSkewMillis largest |source time − receive time| seen, in ms
 * @param arrivedCentral whether the period's data reached the central store
 */
public record EvidenceRow(
    String deviceId,
    Instant periodStart,
    Instant periodEnd,
    long onlineSeconds,
    long goodSamples,
    long valueChanges,
    long maxClockSkewMillis,
    boolean arrivedCentral) {

  /** Checks that the row is consistent. */
  public EvidenceRow {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(periodStart, "periodStart");
    Objects.requireNonNull(periodEnd, "periodEnd");
    if (!periodEnd.isAfter(periodStart)) {
      throw new IllegalArgumentException(
          "period_end " + periodEnd + " is not after period_start " + periodStart);
    }
    if (onlineSeconds < 0 || goodSamples < 0 || valueChanges < 0 || maxClockSkewMillis < 0) {
      throw new IllegalArgumentException(
          "online_seconds, good_samples, value_changes and max_clock_skew_ms cannot be negative");
    }
    long periodMillis = periodEnd.toEpochMilli() - periodStart.toEpochMilli();
    if (Math.multiplyExact(onlineSeconds, 1000L) > periodMillis) {
      throw new IllegalArgumentException(
          "online_seconds "
              + onlineSeconds
              + " exceeds the period's length of "
              + periodMillis / 1000
              + " seconds");
    }
  }

  /** The period length in milliseconds. */
  long lengthMillis() {
    return periodEnd.toEpochMilli() - periodStart.toEpochMilli();
  }
}
