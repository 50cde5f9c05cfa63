package dev.onboard.meter.policy;

import dev.onboard.meter.money.Money;
import dev.onboard.meter.money.Rate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A subsidy policy as data: built in ({@link BuiltinPolicies}) or loaded from a YAML policy file.
 *
 * <p>Amounts are yuan held in fen ({@link Money}); a {@code null} cap means "no such cap".
 * Rounding: half-up to the fen, once, at the end of each award ({@link
 * dev.onboard.meter.money.Rounding#HALF_UP_TO_FEN}). Immutable and thread-safe.
 *
 * @param name the built-in name, e.g. {@code huangpu-device-2019}
 * @param title a human title
 * @param source the source document and clause
 * @param kind what is awarded: devices, cost claims, or platform activity
 * @param perDeviceAmount {@code PER_DEVICE}: award = min(cost, this) (P1: 2000.00)
 * @param rates {@code COST_RATIO}: the ratio of the claimed amount paid
 * @param eligibleKinds {@code COST_RATIO}: claim kinds that count (empty = all)
 * @param perEnterpriseYearCap sum of one enterprise's awards in one year
 * @param perProviderCap sum of awards over all enterprises buying from one provider
 * @param programmeBudget sum of all awards of the programme in one year
 * @param eligibility predicates on enterprise attributes; all must hold
 * @param overflow what the enterprise cap does to unpaid devices
 * @param duplicate how awards received under other policies count (就高不重复)
 * @param verification device verification parameters ({@code PER_DEVICE})
 * @param activity {@code PLATFORM_ACTIVITY} parameters, else {@code null}
 * @param combinedCeiling when set, awards stack on what other policies paid the same subject
 *     instead of topping up, and the sum of both stays ≤ this ratio of the claimed amount (Foshan
 *     二/三: "上级补助资金和市级补助资金的总额不超过项目已投入金额的50%"); {@code null}: {@link #duplicate} applies
 * @param priority when a cap binds, claims of enterprises that satisfy this rule are paid first (P7
 *     一(二): "重点支持上年度主营业务收入1000万元以上的工业企业"); {@code null}: no priority
 */
public record Policy(
    String name,
    String title,
    String source,
    Kind kind,
    Money perDeviceAmount,
    RateSchedule rates,
    Set<String> eligibleKinds,
    Money perEnterpriseYearCap,
    Money perProviderCap,
    Money programmeBudget,
    List<EligibilityRule> eligibility,
    Overflow overflow,
    Duplicate duplicate,
    VerificationParams verification,
    ActivityParams activity,
    Rate combinedCeiling,
    EligibilityRule priority) {

  /** What a policy awards. */
  public enum Kind {
    /** A per-device award for verified devices (P1). */
    PER_DEVICE,
    /** A ratio of claimed costs (P2–P5, P7). */
    COST_RATIO,
    /** An award to the platform per active enterprise (P6). */
    PLATFORM_ACTIVITY
  }

  /** Checks the fields that every kind needs, and copies collections. */
  public Policy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    eligibleKinds = Set.copyOf(eligibleKinds == null ? Set.of() : eligibleKinds);
    eligibility = List.copyOf(eligibility == null ? List.of() : eligibility);
    overflow = overflow == null ? Overflow.FORFEIT : overflow;
    duplicate = duplicate == null ? Duplicate.TOP_UP : duplicate;
    verification = verification == null ? VerificationParams.DEFAULTS : verification;
    title = title == null ? name : title;
    source = source == null ? "" : source;
    if (kind == Kind.PER_DEVICE && perDeviceAmount == null) {
      throw new IllegalArgumentException("a per-device policy needs a per-device amount");
    }
    if (kind == Kind.COST_RATIO && rates == null) {
      throw new IllegalArgumentException("a cost-ratio policy needs a rate");
    }
    if (kind == Kind.PLATFORM_ACTIVITY && activity == null) {
      throw new IllegalArgumentException("a platform-activity policy needs activity parameters");
    }
  }

  /** A policy without a combined ceiling (the signature before policy files could set one). */
  public Policy(
      String name,
      String title,
      String source,
      Kind kind,
      Money perDeviceAmount,
      RateSchedule rates,
      Set<String> eligibleKinds,
      Money perEnterpriseYearCap,
      Money perProviderCap,
      Money programmeBudget,
      List<EligibilityRule> eligibility,
      Overflow overflow,
      Duplicate duplicate,
      VerificationParams verification,
      ActivityParams activity) {
    this(
        name,
        title,
        source,
        kind,
        perDeviceAmount,
        rates,
        eligibleKinds,
        perEnterpriseYearCap,
        perProviderCap,
        programmeBudget,
        eligibility,
        overflow,
        duplicate,
        verification,
        activity,
        null,
        null);
  }

  /** A builder holding this policy's values, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder(name, kind);
    b.title = title;
    b.source = source;
    b.perDeviceAmount = perDeviceAmount;
    b.rates = rates;
    b.eligibleKinds = eligibleKinds;
    b.perEnterpriseYearCap = perEnterpriseYearCap;
    b.perProviderCap = perProviderCap;
    b.programmeBudget = programmeBudget;
    b.eligibility = eligibility;
    b.overflow = overflow;
    b.duplicate = duplicate;
    b.verification = verification;
    b.activity = activity;
    b.combinedCeiling = combinedCeiling;
    b.priority = priority;
    return b;
  }

  /**
   * Mutable values of a {@link Policy} under construction (used by the policy-file loader). Not
   * thread-safe; {@link #build()} validates.
   */
  public static final class Builder {
    /** See {@link Policy#name()}. */
    public String name;

    /** See {@link Policy#kind()}. */
    public Kind kind;

    /** See {@link Policy#title()}. */
    public String title;

    /** See {@link Policy#source()}. */
    public String source;

    /** See {@link Policy#perDeviceAmount()}. */
    public Money perDeviceAmount;

    /** See {@link Policy#rates()}. */
    public RateSchedule rates;

    /** See {@link Policy#eligibleKinds()}. */
    public Set<String> eligibleKinds = Set.of();

    /** See {@link Policy#perEnterpriseYearCap()}. */
    public Money perEnterpriseYearCap;

    /** See {@link Policy#perProviderCap()}. */
    public Money perProviderCap;

    /** See {@link Policy#programmeBudget()}. */
    public Money programmeBudget;

    /** See {@link Policy#eligibility()}. */
    public List<EligibilityRule> eligibility = List.of();

    /** See {@link Policy#overflow()}. */
    public Overflow overflow = Overflow.FORFEIT;

    /** See {@link Policy#duplicate()}. */
    public Duplicate duplicate = Duplicate.TOP_UP;

    /** See {@link Policy#verification()}. */
    public VerificationParams verification = VerificationParams.DEFAULTS;

    /** See {@link Policy#activity()}. */
    public ActivityParams activity;

    /** See {@link Policy#combinedCeiling()}. */
    public Rate combinedCeiling;

    /** See {@link Policy#priority()}. */
    public EligibilityRule priority;

    /** A builder for a new policy of {@code kind}. */
    public Builder(String name, Kind kind) {
      this.name = name;
      this.kind = kind;
    }

    /**
     * The policy.
     *
     * @throws IllegalArgumentException when a value that the kind needs is missing
     */
    public Policy build() {
      return new Policy(
          name,
          title,
          source,
          kind,
          perDeviceAmount,
          rates,
          eligibleKinds,
          perEnterpriseYearCap,
          perProviderCap,
          programmeBudget,
          eligibility,
          overflow,
          duplicate,
          verification,
          activity,
          combinedCeiling,
          priority);
    }
  }

  /** This policy with another overflow rule. */
  public Policy withOverflow(Overflow newOverflow) {
    Builder b = toBuilder();
    b.overflow = newOverflow;
    return b.build();
  }

  /** This policy with another duplicate rule. */
  public Policy withDuplicate(Duplicate newDuplicate) {
    Builder b = toBuilder();
    b.duplicate = newDuplicate;
    return b.build();
  }

  /** The per-enterprise annual cap, if any. */
  public Optional<Money> enterpriseYearCap() {
    return Optional.ofNullable(perEnterpriseYearCap);
  }
}
