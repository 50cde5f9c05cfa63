package dev.onboard.meter.inventory;

import dev.onboard.meter.money.Money;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A cost an enterprise claims under a cost-ratio policy (P2–P5, P7): one row of claims.csv.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the claim id, unique in the file
 * @param enterpriseId the claiming enterprise
 * @param providerId the service provider that was paid (P4 caps what one provider's customers get)
 * @param kind what was bought, e.g. {@code cloud_software}, {@code device_access}, {@code
 *     network_upgrade}, {@code equipment_purchase}, {@code evaluation}
 * @param amount the amount paid, in yuan, ≥ 0
 * @param serviceYear 1 for the first year of the service, 2 for the second…; 0 when not given (only
 *     year-dependent rates need it, P5)
 * @param claimedOn the application date: caps bind in this order, then by claim id
 */
public record Claim(
    String id,
    String enterpriseId,
    String providerId,
    String kind,
    Money amount,
    int serviceYear,
    LocalDate claimedOn) {

  /** Checks the required fields. */
  public Claim {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(enterpriseId, "enterpriseId");
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(claimedOn, "claimedOn");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("a claimed amount cannot be negative: " + amount);
    }
    if (serviceYear < 0) {
      throw new IllegalArgumentException("a service year cannot be negative: " + serviceYear);
    }
  }
}
