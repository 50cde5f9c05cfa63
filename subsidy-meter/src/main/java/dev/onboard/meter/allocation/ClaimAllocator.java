package dev.onboard.meter.allocation;

import dev.onboard.meter.inventory.Claim;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.money.Rate;
import dev.onboard.meter.policy.Overflow;
import dev.onboard.meter.policy.Policy;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Allocates a cost-ratio policy (P2 {@code huangpu-sme-cloud-2019}, P3 {@code
 * huangpu-evaluation-2019}, P4 {@code foshan-voucher}, P5 {@code liuzhou-cloud-voucher}, P7 {@code
 * guangdong-voucher}, and policy files of that kind): a pure function from claims, enterprises,
 * prior awards, year and as-of date to one {@link Award} per claim of the year, sorted by
 * enterprise then claim. The order of the input lists never matters.
 *
 * <p>Rules, in the order they are applied:
 *
 * <ol>
 *   <li>Eligibility of the enterprise (P2 SMEs only; P5 (十一) above-scale, (十四) no refused security
 *       fix) → {@code INELIGIBLE_ENTERPRISE}.
 *   <li>Paid by this policy before → {@code ALREADY_AWARDED}.
 *   <li>Only the policy's kinds count (P7 一(二): "不包括企业购买自动化、智能化设备等费用") → {@code NO_COST}.
 *   <li>award = rate × amount, the rate fixed (P2 50%, P3 30%, P4 50%) or by service year (P5 (六):
 *       80% / 50% / 20%, 0 after), rounded half-up to the fen once.
 *   <li>就高不重复 (P5 (十三)): top-up, exclusive, or a combined ceiling → {@code COVERED_ELSEWHERE}.
 *   <li>Caps, claims of enterprises meeting the policy's priority first (P7 一(二)
 *       "重点支持上年度主营业务收入1000万元以上"), then in order of {@code claimedOn} then claim id, each inclusive
 *       (含) and counting what this policy paid earlier in the year: per enterprise per year, per
 *       provider (P4 "单个服务商…不超过300万元"), programme budget (P4 "每年安排不超过2000万"). The claim crossing a
 *       cap is {@code PARTIAL}; the rest {@code CAPPED}.
 * </ol>
 *
 * A claim belongs to the year of its {@code claimedOn}; claims dated after the as-of date are not
 * made yet and left out. With {@code overflow: carry-over}, claims of earlier years that this
 * policy never paid join this year's claim.
 *
 * <p>Thread-safe (stateless).
 */
public final class ClaimAllocator {

  private ClaimAllocator() {}

  /**
   * Allocates {@code policy} for {@code year}.
   *
   * @param claims every claim (all years: caps count what was paid for earlier claims)
   * @param enterprises the enterprises; every claim's enterprise must be among them
   * @param prior awards already paid, by this or other policies, by claim id
   * @param asOf claims dated after it are left out; {@code null} means Dec 31 of {@code year}
   * @throws IllegalArgumentException when a claim's enterprise is unknown, or a policy with rates
   *     by service year meets a claim without one
   */
  public static List<Award> allocate(
      Policy policy,
      int year,
      LocalDate asOf,
      List<Claim> claims,
      List<Enterprise> enterprises,
      List<PriorAward> prior) {
    if (policy.kind() != Policy.Kind.COST_RATIO) {
      throw new IllegalArgumentException(policy.name() + " is not a cost-ratio policy");
    }
    LocalDate day = asOf == null ? LocalDate.of(year, 12, 31) : asOf;
    Map<String, Enterprise> byId = new HashMap<>();
    enterprises.forEach(e -> byId.put(e.id(), e));
    PriorIndex paid = new PriorIndex(policy.name(), year, prior);
    Eligibility eligibility = new Eligibility(policy);
    List<Draft> drafts = new ArrayList<>();
    for (Claim claim : claims) {
      Enterprise e = byId.get(claim.enterpriseId());
      if (e == null) {
        throw new IllegalArgumentException(
            "claim " + claim.id() + ": unknown enterprise " + claim.enterpriseId());
      }
      int claimYear = claim.claimedOn().getYear();
      boolean carried = policy.overflow() == Overflow.CARRY_OVER && claimYear < year;
      if ((claimYear != year && !carried) || claim.claimedOn().isAfter(day)) {
        continue;
      }
      Draft d = assess(policy, year, claim, e, paid, eligibility);
      if (carried && !d.payable()) {
        continue;
      }
      if (carried) {
        d.reasons.add("carried over from " + claimYear + " (overflow: carry-over)");
      }
      drafts.add(d);
    }
    applyCaps(policy, drafts, claims, paid);
    return Awards.sorted(drafts.stream().map(Draft::toAward));
  }

  private static Draft assess(
      Policy policy,
      int year,
      Claim claim,
      Enterprise enterprise,
      PriorIndex paid,
      Eligibility eligibility) {
    Draft d = new Draft(claim, year);
    d.first = policy.priority() != null && policy.priority().test(enterprise);
    eligibility.apply(d, enterprise);
    Money paidHere = paid.paidHere(claim.id());
    if (paidHere.isPositive()) {
      d.flag(
          AwardStatus.ALREADY_AWARDED,
          "already paid " + paidHere + " by " + policy.name() + " (" + policy.source() + ")");
    }
    if (!policy.eligibleKinds().isEmpty() && !policy.eligibleKinds().contains(claim.kind())) {
      d.flag(
          AwardStatus.NO_COST,
          "no eligible cost: kind "
              + claim.kind()
              + " does not count, only "
              + String.join(", ", new TreeSet<>(policy.eligibleKinds()))
              + " ("
              + policy.source()
              + ")");
    }
    if (!d.statuses.isEmpty()) {
      return d;
    }
    if (policy.rates().byServiceYear() && claim.serviceYear() == 0) {
      throw new IllegalArgumentException(
          "claim " + claim.id() + " has no service year, which " + policy.name() + " needs");
    }
    Rate rate = policy.rates().rateFor(claim.serviceYear());
    BigDecimal own = BigDecimal.valueOf(claim.amount().fen()).multiply(rate.value());
    Money rounded = claim.amount().times(rate);
    String rateText =
        rate.toPercentString()
            + (policy.rates().byServiceYear() ? " (service year " + claim.serviceYear() + ")" : "");
    String zero = "";
    if (rate.value().signum() == 0) {
      zero =
          policy.rates().byServiceYear()
              ? ": the rates cover service years 1–" + policy.rates().rates().size() + " only"
              : ": the rate is 0%, set rate in a policy file";
    }
    d.reasons.add(
        "award = "
            + rateText
            + " × "
            + claim.amount()
            + " = "
            + rounded
            + " ("
            + policy.source()
            + ")"
            + zero);
    Duplicates.Settled settled =
        Duplicates.settle(policy, own, claim.amount(), paid.paidElsewhere(claim.id()));
    d.settle(settled);
    return d;
  }

  /** One cap being filled: what is left of it, and how to name it in a reason. */
  private static final class Cap {
    private final String name;
    private Money left;

    Cap(String name, Money limit, Money paidBefore) {
      this.left = limit.minus(paidBefore).max(Money.ZERO);
      this.name = paidBefore.isPositive() ? name + ", " + paidBefore + " paid earlier" : name;
    }
  }

  private static void applyCaps(
      Policy policy, List<Draft> drafts, List<Claim> claims, PriorIndex paid) {
    Map<String, Money> byEnterprise = new HashMap<>();
    Map<String, Money> byProvider = new HashMap<>();
    Set<String> seen = new TreeSet<>();
    for (Claim c : claims) {
      Money before = paid.paidHereThisYear(c.id());
      if (before.isPositive() && seen.add(c.id())) {
        byEnterprise.merge(c.enterpriseId(), before, Money::plus);
        byProvider.merge(c.providerId(), before, Money::plus);
      }
    }
    Money all = paid.paidHereThisYearTotal();
    String src = " (" + policy.source() + ")";
    Map<String, Cap> enterpriseCaps = new HashMap<>();
    Map<String, Cap> providerCaps = new HashMap<>();
    Cap budget =
        policy.programmeBudget() == null
            ? null
            : new Cap(
                "programme budget " + policy.programmeBudget() + src,
                policy.programmeBudget(),
                all);
    List<Draft> payable = new ArrayList<>();
    for (Draft d : drafts) {
      if (d.payable()) {
        payable.add(d);
      }
    }
    payable.sort(
        Comparator.comparing((Draft d) -> !d.first)
            .thenComparing(d -> d.claim.claimedOn())
            .thenComparing(d -> d.claim.id()));
    for (Draft d : payable) {
      if (d.first) {
        d.reasons.add(
            "paid first: "
                + policy.priority().attribute()
                + "="
                + policy.priority().expected()
                + " ("
                + policy.priority().source()
                + ")");
      }
      List<Cap> caps = new ArrayList<>(3);
      if (policy.perEnterpriseYearCap() != null) {
        caps.add(
            enterpriseCaps.computeIfAbsent(
                d.claim.enterpriseId(),
                e ->
                    new Cap(
                        "enterprise annual cap " + policy.perEnterpriseYearCap() + src,
                        policy.perEnterpriseYearCap(),
                        byEnterprise.getOrDefault(e, Money.ZERO))));
      }
      if (policy.perProviderCap() != null) {
        caps.add(
            providerCaps.computeIfAbsent(
                d.claim.providerId(),
                p ->
                    new Cap(
                        "provider " + p + " cap " + policy.perProviderCap() + src,
                        policy.perProviderCap(),
                        byProvider.getOrDefault(p, Money.ZERO))));
      }
      if (budget != null) {
        caps.add(budget);
      }
      Cap binding = null;
      for (Cap c : caps) {
        if (binding == null || c.left.compareTo(binding.left) < 0) {
          binding = c;
        }
      }
      if (binding == null) {
        continue;
      }
      if (binding.left.isZero()) {
        d.flag(AwardStatus.CAPPED, "cap reached: " + binding.name);
        d.amount = Money.ZERO;
      } else if (d.amount.compareTo(binding.left) > 0) {
        d.flag(
            AwardStatus.PARTIAL,
            "partial: " + binding.left + " of " + d.amount + " left under the " + binding.name);
        d.amount = binding.left;
      }
      for (Cap c : caps) {
        c.left = c.left.minus(d.amount);
      }
    }
  }

  /** A claim's award being worked out. */
  private static final class Draft extends AwardDraft {
    private final Claim claim;
    private final int year;
    // The enterprise meets the policy's priority rule: paid before the others when a cap binds.
    private boolean first;

    Draft(Claim claim, int year) {
      this.claim = claim;
      this.year = year;
    }

    Award toAward() {
      return new Award(
          claim.id(),
          claim.enterpriseId(),
          year,
          status(),
          null,
          null,
          claim.amount(),
          paid(),
          reasons,
          List.of());
    }
  }
}
