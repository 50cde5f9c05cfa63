package dev.onboard.meter.policy;

import dev.onboard.meter.money.Money;
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
    ActivityParams activity) {

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

  /** This policy with another overflow rule. */
  public Policy withOverflow(Overflow newOverflow) {
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
        newOverflow,
        duplicate,
        verification,
        activity);
  }

  /** This policy with another duplicate rule. */
  public Policy withDuplicate(Duplicate newDuplicate) {
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
        newDuplicate,
        verification,
        activity);
  }

  /** The per-enterprise annual cap, if any. */
  public Optional<Money> enterpriseYearCap() {
    return Optional.ofNullable(perEnterpriseYearCap);
  }
}
