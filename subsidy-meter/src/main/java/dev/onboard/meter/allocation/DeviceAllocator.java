package dev.onboard.meter.allocation;

import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.policy.Overflow;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.verification.Verification;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Allocates a per-device policy (P1 {@code huangpu-device-2019} and policy files of that kind): a
 * pure function from claims, prior awards, year and as-of date to one {@link Award} per device of
 * the year, sorted by enterprise then device. The order of the input lists never matters.
 *
 * <p>Rules, in the order they are applied:
 *
 * <ol>
 *   <li>Eligibility of the enterprise (穗埔府规〔2019〕9号 第二条) → {@code INELIGIBLE_ENTERPRISE}.
 *   <li>One identity, one device (VERIFICATION 1): earliest {@code claimedOn}, then lowest id,
 *       keeps it → {@code DUPLICATE_IDENTITY}.
 *   <li>A device is onboarded once (第四条): paid by this policy before → {@code ALREADY_AWARDED}.
 *   <li>Verification → {@code PENDING} / {@code NOT_VERIFIED}; no cost → {@code NO_COST}.
 *   <li>award = min(cost, per-device amount) (第四条 "最高2000元全额补贴").
 *   <li>就高不重复 (第十条): top-up = award − received elsewhere; 0 → {@code COVERED_ELSEWHERE}.
 *   <li>Per enterprise per year cap (第四条 "单个企业每年补助不超过10万元"), in order of {@code verifiedOn} then
 *       device id: the crossing device is {@code PARTIAL}, the rest {@code CAPPED}.
 * </ol>
 *
 * A device belongs to the year its window ends; pending devices and devices without Good data to
 * the year of the as-of date. With {@code overflow: carry-over}, verified devices of earlier years
 * that were never paid by this policy join this year's claim.
 *
 * <p>Thread-safe (stateless). Enterprises are allocated in parallel on the common fork-join pool;
 * the result does not depend on it.
 */
public final class DeviceAllocator {

  private DeviceAllocator() {}

  /**
   * Allocates {@code policy} for {@code year}.
   *
   * @param claims every device of the inventory (all years: identities are unique across years)
   * @param prior awards already paid, by this or other policies
   * @param asOf the as-of date the verifications were made for
   */
  public static List<Award> allocate(
      Policy policy, int year, LocalDate asOf, List<DeviceClaim> claims, List<PriorAward> prior) {
    // The identities (a million map entries) on another core while this one groups the claims.
    CompletableFuture<Map<String, DeviceClaim>> owners =
        CompletableFuture.supplyAsync(() -> identityOwners(claims));
    PriorIndex paid = new PriorIndex(policy.name(), year, prior);
    Map<String, Money> paidThisYear = paidThisYearByEnterprise(claims, paid);
    Map<String, List<DeviceClaim>> byEnterprise = new HashMap<>();
    for (DeviceClaim c : claims) {
      byEnterprise.computeIfAbsent(c.enterprise().id(), k -> new ArrayList<>(4)).add(c);
    }
    Map<String, DeviceClaim> identityOwner = owners.join();
    String[] enterprises = byEnterprise.keySet().toArray(String[]::new);
    Arrays.sort(enterprises);
    // Past identities and prior awards, each enterprise is on its own (DESIGN.md › Scale: "a
    // parallel loop over enterprises"); the shared maps are only read from here on, and the
    // results come back in enterprise order, so the output does not depend on the threads.
    List<List<Award>> parts =
        Arrays.stream(enterprises)
            .parallel()
            .map(
                e ->
                    allocateEnterprise(
                        policy,
                        year,
                        asOf,
                        byEnterprise.get(e),
                        identityOwner,
                        paid,
                        paidThisYear.getOrDefault(e, Money.ZERO)))
            .toList();
    List<Award> awards = new ArrayList<>(claims.size());
    parts.forEach(awards::addAll);
    return Collections.unmodifiableList(awards);
  }

  /** The awards of one enterprise's devices, sorted by device id. */
  private static List<Award> allocateEnterprise(
      Policy policy,
      int year,
      LocalDate asOf,
      List<DeviceClaim> claims,
      Map<String, DeviceClaim> identityOwner,
      PriorIndex paid,
      Money paidBefore) {
    Eligibility eligibility = new Eligibility(policy);
    List<Draft> drafts = new ArrayList<>(claims.size());
    for (DeviceClaim claim : claims) {
      int deviceYear = yearOf(claim.verification(), asOf);
      boolean carried =
          policy.overflow() == Overflow.CARRY_OVER
              && deviceYear < year
              && claim.verification().state() == Verification.State.VERIFIED;
      if (deviceYear != year && !carried) {
        continue;
      }
      Draft draft = assess(policy, year, claim, identityOwner, paid, eligibility);
      if (carried && !draft.payable()) {
        continue;
      }
      if (carried) {
        draft.reasons.add("carried over from " + deviceYear + " (overflow: carry-over)");
      }
      drafts.add(draft);
    }
    applyEnterpriseCap(policy, drafts, paidBefore);
    drafts.sort((x, y) -> x.id.compareTo(y.id));
    List<Award> awards = new ArrayList<>(drafts.size());
    drafts.forEach(d -> awards.add(d.toAward()));
    return awards;
  }

  /** The award year of a device: the year its window ends, else the year of the as-of date. */
  static int yearOf(Verification v, LocalDate asOf) {
    return v.state() == Verification.State.PENDING || v.verifiedOn() == null
        ? asOf.getYear()
        : v.verifiedOn().getYear();
  }

  private static Map<String, DeviceClaim> identityOwners(List<DeviceClaim> claims) {
    Map<String, DeviceClaim> owner = new HashMap<>(claims.size() * 4 / 3 + 16);
    Comparator<DeviceClaim> first =
        Comparator.comparing((DeviceClaim c) -> c.device().claimedOn())
            .thenComparing(c -> c.device().id());
    for (DeviceClaim c : claims) {
      owner.merge(c.device().identity(), c, (a, b) -> first.compare(a, b) <= 0 ? a : b);
    }
    return owner;
  }

  private static Draft assess(
      Policy policy,
      int year,
      DeviceClaim claim,
      Map<String, DeviceClaim> identityOwner,
      PriorIndex paid,
      Eligibility eligibility) {
    Draft d = new Draft(claim, year);
    String source = policy.source();
    eligibility.apply(d, claim.enterprise());
    DeviceClaim owner = identityOwner.get(claim.device().identity());
    if (owner != claim && !owner.device().id().equals(claim.device().id())) {
      d.flag(
          AwardStatus.DUPLICATE_IDENTITY,
          "identity "
              + claim.device().identity()
              + " already claimed by device "
              + owner.device().id()
              + " on "
              + owner.device().claimedOn()
              + " (VERIFICATION 1)");
    }
    Money paidHere = paid.paidHere(claim.device().id());
    if (paidHere.isPositive()) {
      d.flag(
          AwardStatus.ALREADY_AWARDED,
          "already paid "
              + paidHere
              + " by "
              + policy.name()
              + " ("
              + source
              + ": once per device)");
    }
    Verification v = claim.verification();
    if (v.state() == Verification.State.PENDING) {
      v.failures().forEach(f -> d.flag(AwardStatus.PENDING, "pending: " + f));
    } else if (v.state() == Verification.State.NOT_VERIFIED) {
      v.failures().forEach(f -> d.flag(AwardStatus.NOT_VERIFIED, "not verified: " + f));
    }
    if (claim.device().cost().isEmpty()) {
      d.flag(AwardStatus.NO_COST, "no cost evidence");
    }
    if (!d.statuses.isEmpty()) {
      return d; // nothing to pay: no amount to work out
    }
    Money cost = claim.device().onboardingCost();
    Money perDevice = policy.perDeviceAmount();
    Money own = cost.max(Money.ZERO).min(perDevice);
    // Spelled out when read, not now (FormulaReasons): it is always the first reason, since every
    // reason before it comes with a status and a status returns above.
    d.formula(cost, perDevice, own, source);
    Map<String, Money> elsewhere = paid.paidElsewhere(claim.device().id());
    if (elsewhere.isEmpty()) {
      // What Duplicates.settle returns for nothing received elsewhere (own, already whole fen, no
      // reason), without its BigDecimal, Money and Settled for each of a million devices.
      d.amount = own;
      return d;
    }
    d.settle(Duplicates.settle(policy, BigDecimal.valueOf(own.fen()), cost, elsewhere));
    return d;
  }

  private static Map<String, Money> paidThisYearByEnterprise(
      List<DeviceClaim> claims, PriorIndex paid) {
    Map<String, Money> byEnterprise = new HashMap<>();
    for (DeviceClaim c : claims) {
      Money before = paid.paidHereThisYear(c.device().id());
      if (before.isPositive()) {
        byEnterprise.merge(c.enterprise().id(), before, Money::plus);
      }
    }
    return byEnterprise;
  }

  private static void applyEnterpriseCap(Policy policy, List<Draft> drafts, Money paidBefore) {
    if (policy.perEnterpriseYearCap() == null) {
      return;
    }
    Money cap = policy.perEnterpriseYearCap();
    List<Draft> list = new ArrayList<>(drafts.size());
    for (Draft d : drafts) {
      if (d.payable()) {
        list.add(d);
      }
    }
    list.sort(
        (x, y) -> {
          int c = x.verifiedOn.compareTo(y.verifiedOn);
          return c != 0 ? c : x.id.compareTo(y.id);
        });
    Money left = cap.minus(paidBefore).max(Money.ZERO);
    String capText = "enterprise annual cap " + cap + " (" + policy.source() + ")";
    if (paidBefore.isPositive()) {
      capText += ", " + paidBefore + " paid earlier this year";
    }
    for (Draft d : list) {
      if (left.isZero()) {
        d.flag(AwardStatus.CAPPED, "enterprise annual cap reached: " + capText);
        d.amount = Money.ZERO;
      } else if (d.amount.compareTo(left) > 0) {
        d.flag(
            AwardStatus.PARTIAL,
            "partial: " + left + " of " + d.amount + " left under the " + capText);
        d.amount = left;
      }
      left = left.minus(d.amount);
    }
  }

  /** A device's award being worked out. */
  private static final class Draft extends AwardDraft {
    private final DeviceClaim claim;
    private final int year;
    // The award formula's amounts, or null before (and without) one.
    private Money cost;
    private Money perDevice;
    private Money own;
    private String source;
    // Copied out of the claim: the cap's sort reads them a few million times.
    private final String id;
    private final LocalDate verifiedOn;

    Draft(DeviceClaim claim, int year) {
      this.claim = claim;
      this.year = year;
      this.id = claim.device().id();
      this.verifiedOn = claim.verification().verifiedOn();
    }

    /** Notes the award formula as the first reason, to be spelled out when read. */
    void formula(Money cost, Money perDevice, Money own, String source) {
      this.cost = cost;
      this.perDevice = perDevice;
      this.own = own;
      this.source = source;
    }

    Award toAward() {
      Verification v = claim.verification();
      boolean windowDone = v.state() != Verification.State.PENDING;
      return new Award(
          claim.device().id(),
          claim.enterprise().id(),
          year,
          status(),
          windowDone ? v.verifiedOn() : null,
          v.onlineRatio(),
          claim.device().onboardingCost(),
          paid(),
          own == null ? reasons : new FormulaReasons(cost, perDevice, own, source, reasons),
          v.outcomes());
    }
  }
}
