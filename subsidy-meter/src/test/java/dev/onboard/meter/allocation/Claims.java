package dev.onboard.meter.allocation;

import dev.onboard.meter.inventory.Device;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.verification.RuleOutcome;
import dev.onboard.meter.verification.Verification;
import dev.onboard.meter.verification.VerificationRule;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** Small builders for allocation tests. */
final class Claims {
  static final LocalDate JAN_1 = LocalDate.of(2024, 1, 1);

  private Claims() {}

  static Enterprise eligible(String id) {
    return Enterprise.of(id, "Factory " + id, "huangpu", true, true, true, false);
  }

  static Device device(String id, String enterprise, String costYuan) {
    return new Device(
        id, enterprise, "id-" + id, costYuan == null ? null : Money.parseYuan(costYuan), JAN_1);
  }

  static Verification verified(LocalDate on) {
    return new Verification(
        Verification.State.VERIFIED,
        on,
        new BigDecimal("0.9000"),
        List.of(new RuleOutcome(VerificationRule.ONLINE_RATIO, true, "online ratio 0.9000")));
  }

  static Verification notVerified(LocalDate on) {
    return new Verification(
        Verification.State.NOT_VERIFIED,
        on,
        new BigDecimal("0.5000"),
        List.of(
            new RuleOutcome(
                VerificationRule.ONLINE_RATIO,
                false,
                "online ratio 0.5000 < 0.6 over 30 days (VERIFICATION 3)")));
  }

  static Verification pending(LocalDate windowEnd) {
    return new Verification(
        Verification.State.PENDING,
        windowEnd,
        null,
        List.of(
            new RuleOutcome(
                VerificationRule.WINDOW_COMPLETE,
                false,
                "observation window ends "
                    + windowEnd
                    + ", after as-of 2024-12-31 (VERIFICATION 3)")));
  }

  static DeviceClaim claim(Device d, Enterprise e, Verification v) {
    return new DeviceClaim(d, e, v);
  }

  static PriorAward prior(String device, String policy, int year, String yuan) {
    return new PriorAward(device, policy, year, Money.parseYuan(yuan));
  }
}
