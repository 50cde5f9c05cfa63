package dev.onboard.meter.inventory;

import dev.onboard.meter.money.Money;
import java.util.Objects;

/**
 * An award already paid to a device (or claim), by this or another policy: one row of prior.csv.
 *
 * <p>Immutable and thread-safe.
 *
 * @param subjectId the device id (or claim id) that was paid
 * @param policy the name of the policy that paid it
 * @param year the award year
 * @param amount the amount paid, in yuan
 */
public record PriorAward(String subjectId, String policy, int year, Money amount) {

  /** Checks the required fields. */
  public PriorAward {
    Objects.requireNonNull(subjectId, "subjectId");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(amount, "amount");
  }
}
