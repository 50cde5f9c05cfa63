package dev.onboard.meter.verification;

import dev.onboard.meter.policy.VerificationParams;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the verification rules of POLICIES.md › VERIFICATION to one device's {@link
 * EvidenceSummary}. A pure function of its inputs.
 *
 * <p>Immutable and thread-safe.
 */
public final class Verifier {
  private final VerificationParams params;

  /** A verifier with the policy's parameters. */
  public Verifier(VerificationParams params) {
    this.params = params;
  }

  /** A window's length as policies state it: whole days, else hours or minutes. */
  static String length(java.time.Duration d) {
    if (d.toDays() > 0 && d.equals(java.time.Duration.ofDays(d.toDays()))) {
      return d.toDays() + " days";
    }
    if (d.toHours() > 0 && d.equals(java.time.Duration.ofHours(d.toHours()))) {
      return d.toHours() + " h";
    }
    return d.toMinutes() + " min";
  }

  /** The instant the as-of date ends in the policy's zone (start of the next day). */
  public Instant endOf(LocalDate asOf) {
    return asOf.plusDays(1).atStartOfDay(params.zone()).toInstant();
  }

  /**
   * Verifies a device as of the end of {@code asOf}.
   *
   * @param evidence the device's evidence over its window
   * @param asOf the last day whose evidence counts (default Dec 31 of the award year)
   */
  public Verification verify(EvidenceSummary evidence, LocalDate asOf) {
    List<RuleOutcome> outcomes = new ArrayList<>();
    if (!evidence.hasGoodData()) {
      outcomes.add(
          new RuleOutcome(
              VerificationRule.GOOD_DATA,
              false,
              "never produced Good-quality data (VERIFICATION 5)"));
      return new Verification(Verification.State.NOT_VERIFIED, null, null, outcomes);
    }
    outcomes.add(
        new RuleOutcome(
            VerificationRule.GOOD_DATA, true, "Good data from " + evidence.windowStart()));
    LocalDate verifiedOn = evidence.windowEnd().atZone(params.zone()).toLocalDate();
    if (evidence.windowEnd().isAfter(endOf(asOf))) {
      outcomes.add(
          new RuleOutcome(
              VerificationRule.WINDOW_COMPLETE,
              false,
              "observation window ends "
                  + verifiedOn
                  + ", after as-of "
                  + asOf
                  + " (VERIFICATION 3)"));
      return new Verification(Verification.State.PENDING, verifiedOn, null, outcomes);
    }
    outcomes.add(
        new RuleOutcome(
            VerificationRule.WINDOW_COMPLETE, true, "observation window ended " + verifiedOn));
    long window = evidence.windowMillis();
    BigDecimal ratio =
        BigDecimal.valueOf(evidence.onlineMillis())
            .divide(BigDecimal.valueOf(window), 4, RoundingMode.HALF_UP);
    boolean online = params.onlineRatio().isMetBy(evidence.onlineMillis(), window);
    outcomes.add(
        new RuleOutcome(
            VerificationRule.ONLINE_RATIO,
            online,
            "online ratio "
                + ratio.toPlainString()
                + (online ? " ≥ " : " < ")
                + params.onlineRatio()
                + " over "
                + length(params.window())
                + " (VERIFICATION 3)"));
    if (params.requireArrivedCentral()) {
      outcomes.add(
          new RuleOutcome(
              VerificationRule.ARRIVED_CENTRAL,
              evidence.arrivedCentral(),
              evidence.arrivedCentral()
                  ? "data arrived on the central store"
                  : "no Good data arrived on the central store (VERIFICATION 2)"));
    }
    boolean changes = evidence.valueChanges() >= params.minValueChanges();
    outcomes.add(
        new RuleOutcome(
            VerificationRule.VALUE_CHANGES,
            changes,
            evidence.valueChanges()
                + " value changes in the window"
                + (changes ? "" : ", need ≥ " + params.minValueChanges() + " (VERIFICATION 4)")));
    boolean skew = evidence.maxClockSkewMillis() <= params.maxClockSkewMillis();
    outcomes.add(
        new RuleOutcome(
            VerificationRule.CLOCK_SKEW,
            skew,
            "max clock skew "
                + evidence.maxClockSkewMillis()
                + " ms"
                + (skew ? " ≤ " : " > ")
                + params.maxClockSkewMillis()
                + " ms"
                + (skew ? "" : " (VERIFICATION 4)")));
    boolean all = outcomes.stream().allMatch(RuleOutcome::passed);
    return new Verification(
        all ? Verification.State.VERIFIED : Verification.State.NOT_VERIFIED,
        verifiedOn,
        ratio,
        outcomes);
  }
}
