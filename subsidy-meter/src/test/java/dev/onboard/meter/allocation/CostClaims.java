package dev.onboard.meter.allocation;

import dev.onboard.meter.inventory.Claim;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.policy.Policy;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Small builders for cost-ratio tests. */
final class CostClaims {
  static final LocalDate MARCH_1 = LocalDate.of(2024, 3, 1);

  private CostClaims() {}

  /** An enterprise with the given attributes set to true (the others false, legal entity true). */
  static Enterprise enterprise(String id, String... trueAttributes) {
    List<String> t = List.of(trueAttributes);
    return new Enterprise(
        id,
        "Factory " + id,
        "somewhere",
        true,
        t.contains("sme"),
        t.contains("above_scale"),
        false,
        Map.of());
  }

  static Claim claim(String id, String enterprise, String kind, String yuan) {
    return new Claim(id, enterprise, "P1", kind, Money.parseYuan(yuan), 1, MARCH_1);
  }

  static Claim claim(
      String id, String enterprise, String provider, String yuan, LocalDate claimedOn) {
    return new Claim(
        id, enterprise, provider, "cloud_software", Money.parseYuan(yuan), 1, claimedOn);
  }

  static Claim serviceYear(String id, String enterprise, int serviceYear, String yuan) {
    return new Claim(
        id, enterprise, "P1", "cloud_software", Money.parseYuan(yuan), serviceYear, MARCH_1);
  }

  static List<Award> allocate(
      Policy policy, List<Claim> claims, List<Enterprise> enterprises, List<PriorAward> prior) {
    return ClaimAllocator.allocate(policy, 2024, null, claims, enterprises, prior);
  }

  static Award only(List<Award> awards) {
    if (awards.size() != 1) {
      throw new AssertionError("expected one award, got " + awards);
    }
    return awards.get(0);
  }

  static Money yuan(String text) {
    return Money.parseYuan(text);
  }

  static Money total(List<Award> awards) {
    return awards.stream().map(Award::amount).reduce(Money.ZERO, Money::plus);
  }
}
