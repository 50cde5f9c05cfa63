package dev.onboard.meter.allocation;

import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.policy.EligibilityRule;
import dev.onboard.meter.policy.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The eligibility rules of a policy (e.g. 穗埔府规〔2019〕9号 第二条, 柳州 (十一)/(十四)) applied to each
 * enterprise once, however many devices or claims it has. Not thread-safe; one per allocation.
 */
final class Eligibility {
  private final Policy policy;
  private final Map<String, List<String>> failures = new HashMap<>();
  // The enterprise asked last and its failures: devices come enterprise by enterprise, so this
  // spares a map look-up for nearly every device.
  private Enterprise last;
  private List<String> lastFailures;

  Eligibility(Policy policy) {
    this.policy = policy;
  }

  /** Flags {@code d} {@code INELIGIBLE_ENTERPRISE} once for each rule {@code enterprise} fails. */
  void apply(AwardDraft d, Enterprise enterprise) {
    if (policy.eligibility().isEmpty()) {
      return;
    }
    if (enterprise != last) {
      lastFailures = failures.computeIfAbsent(enterprise.id(), id -> failuresOf(enterprise));
      last = enterprise;
    }
    for (String reason : lastFailures) {
      d.flag(AwardStatus.INELIGIBLE_ENTERPRISE, reason);
    }
  }

  /** The reasons {@code enterprise} fails the policy's rules; pure, so any thread may call it. */
  List<String> failuresOf(Enterprise enterprise) {
    List<String> out = new ArrayList<>(0);
    for (EligibilityRule rule : policy.eligibility()) {
      if (!rule.test(enterprise)) {
        out.add("ineligible enterprise: " + rule.describeFailure(enterprise));
      }
    }
    return out;
  }
}
