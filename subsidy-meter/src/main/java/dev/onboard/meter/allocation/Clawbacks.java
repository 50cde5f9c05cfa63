package dev.onboard.meter.allocation;

import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.policy.EligibilityRule;
import dev.onboard.meter.policy.Policy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns earlier awards into recoverable amounts when an enterprise fails an eligibility rule marked
 * {@code clawback} (P1 穗埔府规〔2019〕9号 第二条: "将追回已经发放的扶持金"). Only what this policy paid is recovered;
 * what other policies paid is theirs to recover.
 *
 * <p>A pure function; thread-safe (stateless).
 */
public final class Clawbacks {
  private Clawbacks() {}

  /**
   * The recoverable awards, sorted by enterprise, subject, year.
   *
   * @param enterpriseOfSubject the enterprise of each device or claim id
   * @param enterprises enterprises by id
   * @param prior awards already paid
   */
  public static List<Recoverable> recoverable(
      Policy policy,
      Map<String, String> enterpriseOfSubject,
      Map<String, Enterprise> enterprises,
      List<PriorAward> prior) {
    List<Recoverable> out = new ArrayList<>();
    for (PriorAward p : prior) {
      if (!p.policy().equals(policy.name()) || !p.amount().isPositive()) {
        continue;
      }
      String enterpriseId = enterpriseOfSubject.get(p.subjectId());
      Enterprise e = enterpriseId == null ? null : enterprises.get(enterpriseId);
      if (e == null) {
        continue;
      }
      for (EligibilityRule rule : policy.eligibility()) {
        if (rule.clawback() && !rule.test(e)) {
          out.add(
              new Recoverable(
                  e.id(),
                  p.subjectId(),
                  p.year(),
                  p.amount(),
                  "recoverable: "
                      + p.amount()
                      + " paid for "
                      + p.year()
                      + "; "
                      + rule.describeFailure(e)));
          break;
        }
      }
    }
    out.sort(
        Comparator.comparing(Recoverable::enterpriseId)
            .thenComparing(Recoverable::subjectId)
            .thenComparingInt(Recoverable::year));
    return out;
  }
}
