package dev.onboard.meter.policy;

import dev.onboard.meter.money.Rate;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The parameters of device verification (POLICIES.md › VERIFICATION). None of the seeds defines the
 * evidence; these are the product's defaults, each overridable in a policy file.
 *
 * <p>Immutable and thread-safe.
 *
 * @param window length of the observation window, from the start of the first evidence row with
 *     Good samples (default 30 days)
 * @param onlineRatio minimum online ratio over the window (default 0.60, P6's threshold)
 * @param maxClockSkewMillis largest tolerated clock skew in every row of the window, in ms (default
 *     5000)
 * @param minValueChanges minimum value changes inside the window (default 1: not frozen)
 * @param requireArrivedCentral whether data must have arrived on the central store (default true)
 * @param zone the time zone of {@code verified_on} dates and of {@code --as-of} (default
 *     Asia/Shanghai)
 */
public record VerificationParams(
    Duration window,
    Rate onlineRatio,
    long maxClockSkewMillis,
    long minValueChanges,
    boolean requireArrivedCentral,
    ZoneId zone) {

  /** The product defaults. */
  public static final VerificationParams DEFAULTS =
      new VerificationParams(
          Duration.ofDays(30), Rate.percent(60), 5000, 1, true, ZoneId.of("Asia/Shanghai"));

  /** Checks the values. */
  public VerificationParams {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(onlineRatio, "onlineRatio");
    Objects.requireNonNull(zone, "zone");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the observation window must be longer than zero");
    }
  }
}
