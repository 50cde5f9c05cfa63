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
  private final boolean keepPassed;
  // Memos for a million devices verified as of one date (immutable values; a race only means a
  // value is worked out twice): the end of the as-of date, and the dates and ratios already made,
  // so that devices share them instead of each keeping its own copy.
  private volatile AsOfEnd lastEnd;
  private final LocalDate[] dates = new LocalDate[1024];
  private final BigDecimal[] ratios = new BigDecimal[10_001];

  private record AsOfEnd(LocalDate asOf, Instant end) {}

  /** A verifier with the policy's parameters that reports every rule's outcome. */
  public Verifier(VerificationParams params) {
    this(params, true);
  }

  /**
   * A verifier with the policy's parameters.
   *
   * @param keepPassed whether {@link Verification#outcomes()} lists the rules that passed too;
   *     {@code false} keeps only failures (what awards.csv needs), which saves memory and time when
   *     metering a million devices
   */
  public Verifier(VerificationParams params, boolean keepPassed) {
    this.params = params;
    this.keepPassed = keepPassed;
  }

  private void add(
      List<RuleOutcome> outcomes,
      VerificationRule rule,
      boolean passed,
      java.util.function.Supplier<String> reason) {
    if (!passed || keepPassed) {
      outcomes.add(new RuleOutcome(rule, passed, reason.get()));
    }
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
    AsOfEnd last = lastEnd;
    if (last == null || !last.asOf().equals(asOf)) {
      last = new AsOfEnd(asOf, asOf.plusDays(1).atStartOfDay(params.zone()).toInstant());
      lastEnd = last;
    }
    return last.end();
  }

  /** {@code date}, or an equal instance made before. */
  private LocalDate shared(LocalDate date) {
    int slot = (int) (date.toEpochDay() & (dates.length - 1));
    LocalDate known = dates[slot];
    if (date.equals(known)) {
      return known;
    }
    dates[slot] = date;
    return date;
  }

  /** {@code online ÷ window} truncated to 4 decimals (both ≥ 0, online ≤ window). */
  private BigDecimal ratio(long online, long window) {
    if (online < 0 || online > window || online > Long.MAX_VALUE / 10_000) {
      return BigDecimal.valueOf(online).divide(BigDecimal.valueOf(window), 4, RoundingMode.DOWN);
    }
    int tenThousandths = (int) (online * 10_000 / window); // as divide(…, 4, DOWN): 0 … 10,000
    BigDecimal known = ratios[tenThousandths];
    if (known == null) {
      known = BigDecimal.valueOf(tenThousandths, 4);
      ratios[tenThousandths] = known;
    }
    return known;
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
      add(
          outcomes,
          VerificationRule.GOOD_DATA,
          false,
          () -> "never produced Good-quality data (VERIFICATION 5)");
      return new Verification(Verification.State.NOT_VERIFIED, null, null, outcomes);
    }
    add(
        outcomes,
        VerificationRule.GOOD_DATA,
        true,
        () -> "Good data from " + evidence.windowStart());
    LocalDate verifiedOn = shared(evidence.windowEnd().atZone(params.zone()).toLocalDate());
    if (evidence.windowEnd().isAfter(endOf(asOf))) {
      add(
          outcomes,
          VerificationRule.WINDOW_COMPLETE,
          false,
          () ->
              "observation window ends "
                  + verifiedOn
                  + ", after as-of "
                  + asOf
                  + " (VERIFICATION 3)");
      return new Verification(Verification.State.PENDING, verifiedOn, null, outcomes);
    }
    add(
        outcomes,
        VerificationRule.WINDOW_COMPLETE,
        true,
        () -> "observation window ended " + verifiedOn);
    long window = evidence.windowMillis();
    BigDecimal ratio = ratio(evidence.onlineMillis(), window);
    boolean online = params.onlineRatio().isMetBy(evidence.onlineMillis(), window);
    add(
        outcomes,
        VerificationRule.ONLINE_RATIO,
        online,
        () ->
            "online ratio "
                + ratio.toPlainString()
                + (online ? " ≥ " : " < ")
                + params.onlineRatio()
                + " over "
                + length(params.window())
                + " (VERIFICATION 3)");
    if (params.requireArrivedCentral()) {
      add(
          outcomes,
          VerificationRule.ARRIVED_CENTRAL,
          evidence.arrivedCentral(),
          () ->
              evidence.arrivedCentral()
                  ? "data arrived on the central store"
                  : "no Good data arrived on the central store (VERIFICATION 2)");
    }
    boolean changes = evidence.valueChanges() >= params.minValueChanges();
    add(
        outcomes,
        VerificationRule.VALUE_CHANGES,
        changes,
        () ->
            evidence.valueChanges()
                + " value changes in the window"
                + (changes ? "" : ", need ≥ " + params.minValueChanges() + " (VERIFICATION 4)"));
    boolean skew = evidence.maxClockSkewMillis() <= params.maxClockSkewMillis();
    add(
        outcomes,
        VerificationRule.CLOCK_SKEW,
        skew,
        () ->
            "max clock skew "
                + evidence.maxClockSkewMillis()
                + " ms"
                + (skew ? " ≤ " : " > ")
                + params.maxClockSkewMillis()
                + " ms"
                + (skew ? "" : " (VERIFICATION 4)"));
    boolean all = outcomes.stream().allMatch(RuleOutcome::passed);
    return new Verification(
        all ? Verification.State.VERIFIED : Verification.State.NOT_VERIFIED,
        verifiedOn,
        ratio,
        outcomes);
  }
}
