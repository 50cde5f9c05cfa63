package dev.onboard.meter.verification;

/**
 * The rules that make a device verified "上平台" (POLICIES.md › VERIFICATION; the product's defaults,
 * since none of the seeds defines the evidence). Each rule's outcome is in the report.
 */
public enum VerificationRule {
  /** VERIFICATION 5: a device that never produced Good-quality data is not verified. */
  GOOD_DATA("VERIFICATION 5"),
  /** VERIFICATION 3: the observation window is complete by the end of the as-of date. */
  WINDOW_COMPLETE("VERIFICATION 3"),
  /** VERIFICATION 3: online ratio over the window ≥ the threshold (default 0.60). */
  ONLINE_RATIO("VERIFICATION 3"),
  /** VERIFICATION 2: data arrived on the platform (central store), not only at the gateway. */
  ARRIVED_CENTRAL("VERIFICATION 2"),
  /** VERIFICATION 4: values not frozen for the whole window. */
  VALUE_CHANGES("VERIFICATION 4"),
  /** VERIFICATION 4: source timestamps within the clock-skew tolerance in every row. */
  CLOCK_SKEW("VERIFICATION 4");

  private final String clause;

  VerificationRule(String clause) {
    this.clause = clause;
  }

  /** The clause of POLICIES.md › VERIFICATION this rule implements. */
  public String clause() {
    return clause;
  }
}
