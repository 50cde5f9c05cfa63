package dev.onboard.meter.policy;

import dev.onboard.meter.inventory.Enterprise;
import java.util.Objects;

/**
 * A predicate on one enterprise attribute: the enterprise is eligible only when the attribute
 * equals {@code expected} (case-insensitive). Missing attributes read as {@code whenMissing}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param attribute the column of enterprises.csv, e.g. {@code independent_legal_entity}
 * @param expected the required value, e.g. {@code true}
 * @param whenMissing the value assumed when the enterprise lacks the attribute
 * @param source the clause that requires it, e.g. "穗埔府规〔2019〕9号 第二条"
 * @param clawback whether failing the rule also makes the enterprise's earlier awards under the
 *     policy recoverable (P1 第二条: "将追回已经发放的扶持金")
 */
public record EligibilityRule(
    String attribute, String expected, String whenMissing, String source, boolean clawback) {

  /** Checks the required fields. */
  public EligibilityRule {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(source, "source");
  }

  /** A rule whose failure recovers nothing already paid. */
  public EligibilityRule(String attribute, String expected, String whenMissing, String source) {
    this(attribute, expected, whenMissing, source, false);
  }

  /** True when {@code enterprise} satisfies this rule. */
  public boolean test(Enterprise enterprise) {
    String actual = enterprise.attributes().getOrDefault(attribute, whenMissing);
    return actual != null && actual.equalsIgnoreCase(expected);
  }

  /** Why an enterprise fails this rule, e.g. "requires independent_legal_entity=true (…)". */
  public String describeFailure(Enterprise enterprise) {
    String actual = enterprise.attributes().getOrDefault(attribute, whenMissing);
    return "requires "
        + attribute
        + "="
        + expected
        + ", enterprise has "
        + (actual == null ? "nothing" : actual)
        + " ("
        + source
        + ")";
  }
}
