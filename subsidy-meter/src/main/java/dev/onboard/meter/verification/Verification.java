package dev.onboard.meter.verification;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The verification of one device as of a date.
 *
 * <p>Immutable and thread-safe.
 *
 * @param state verified, not verified, or pending (window not complete by the as-of date)
 * @param verifiedOn the calendar date, in the policy's zone, of the instant the window ends; {@code
 *     null} when the device never produced Good data
 * @param onlineRatio online time ÷ window length, truncated to 4 decimals for display, so a shown
 *     ratio never meets a threshold that the exact one misses (the threshold test is exact); {@code
 *     null} when pending or without Good data
 * @param outcomes every rule's outcome, in {@link VerificationRule} order
 */
public record Verification(
    State state, LocalDate verifiedOn, BigDecimal onlineRatio, List<RuleOutcome> outcomes) {

  /** Where a device stands. */
  public enum State {
    /** Every rule holds. */
    VERIFIED,
    /** The window is complete (or never started) and some rule fails. */
    NOT_VERIFIED,
    /** The window is not complete by the end of the as-of date. */
    PENDING
  }

  /** Copies the outcomes. */
  public Verification {
    outcomes = List.copyOf(outcomes);
  }

  /** The reasons of the failed rules (for PENDING, why it is pending). */
  public List<String> failures() {
    return outcomes.stream().filter(o -> !o.passed()).map(RuleOutcome::reason).toList();
  }
}
