package dev.onboard.meter.verification;

import java.util.Objects;

/**
 * The outcome of one verification rule for one device: pass or fail, with a reason that carries the
 * numbers.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rule the rule
 * @param passed whether it holds
 * @param reason human-readable, e.g. "online ratio 0.5833 < 0.6 over 30 days"
 */
public record RuleOutcome(VerificationRule rule, boolean passed, String reason) {

  /** Checks the required fields. */
  public RuleOutcome {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
  }
}
