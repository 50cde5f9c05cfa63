package dev.onboard.meter.inventory;

import dev.onboard.meter.money.Money;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A device an enterprise claims as onboarded.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the device id, unique in the inventory
 * @param enterpriseId the claiming enterprise
 * @param identity identity read from the equipment (POLICIES.md › VERIFICATION 1)
 * @param onboardingCost the invoiced onboarding cost in yuan, or {@code null} when there is no cost
 *     evidence (the device then gets {@code NO_COST}, never a guess)
 * @param claimedOn the date of the claim; earliest claim keeps a shared identity
 */
public record Device(
    String id, String enterpriseId, String identity, Money onboardingCost, LocalDate claimedOn) {

  /** Checks the required fields. */
  public Device {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(enterpriseId, "enterpriseId");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(claimedOn, "claimedOn");
  }

  /** The cost, empty when there is no cost evidence. */
  public Optional<Money> cost() {
    return Optional.ofNullable(onboardingCost);
  }
}
