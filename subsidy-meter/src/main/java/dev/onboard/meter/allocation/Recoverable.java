package dev.onboard.meter.allocation;

import dev.onboard.meter.money.Money;
import java.util.Objects;

/**
 * An award already paid that is now recoverable, because the enterprise fails an eligibility rule
 * that claws back (P1 穗埔府规〔2019〕9号 第二条: a broken commitment not to move, "将追回已经发放的扶持金").
 *
 * <p>Immutable and thread-safe.
 *
 * @param enterpriseId the enterprise that must pay it back
 * @param subjectId the device or claim that was paid
 * @param year the year it was paid for
 * @param amount the amount to recover, in yuan
 * @param reason the rule that failed
 */
public record Recoverable(
    String enterpriseId, String subjectId, int year, Money amount, String reason) {

  /** Checks the required fields. */
  public Recoverable {
    Objects.requireNonNull(enterpriseId, "enterpriseId");
    Objects.requireNonNull(subjectId, "subjectId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(reason, "reason");
  }
}
