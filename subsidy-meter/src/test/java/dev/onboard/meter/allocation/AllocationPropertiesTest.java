package dev.onboard.meter.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.meter.inventory.Claim;
import dev.onboard.meter.inventory.Device;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.money.Rate;
import dev.onboard.meter.policy.BuiltinPolicies;
import dev.onboard.meter.policy.Duplicate;
import dev.onboard.meter.policy.Overflow;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.policy.RateSchedule;
import dev.onboard.meter.verification.EvidenceRow;
import dev.onboard.meter.verification.RuleOutcome;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the meter over thousands of random fleets from seeded generators (issue 3 › Tests):
 * no cap is ever exceeded; totals equal the sum of rows; shuffling input rows never changes the
 * output; re-running with this run's awards as prior awards pays nothing twice; every non-zero
 * award has a verified device. A failure names the seed that reproduces it.
 */
class AllocationPropertiesTest {
  private static final int FLEETS = 3_000;
  private static final int YEAR = 2024;
  private static final Instant NOV_2023 = Instant.parse("2023-11-01T00:00:00Z");

  // --- per-device policy (P1) -----------------------------------------------------------------

  /** One random P1 fleet with its inputs. */
  private record Fleet(
      Policy policy,
      LocalDate asOf,
      List<Enterprise> enterprises,
      List<Device> devices,
      List<EvidenceRow> evidence,
      List<PriorAward> prior) {

    List<Award> meter() {
      return DeviceMeter.meter(policy, YEAR, asOf, enterprises, devices, evidence, prior);
    }

    Fleet shuffled(Random r) {
      return new Fleet(
          policy,
          asOf,
          shuffle(enterprises, r),
          shuffle(devices, r),
          shuffle(evidence, r),
          shuffle(prior, r));
    }

    Fleet withPrior(List<PriorAward> more) {
      List<PriorAward> all = new ArrayList<>(prior);
      all.addAll(more);
      return new Fleet(policy, asOf, enterprises, devices, evidence, all);
    }
  }

  private static Fleet fleet(long seed) {
    Random r = new Random(seed);
    Policy.Builder b = BuiltinPolicies.HUANGPU_DEVICE_2019.toBuilder();
    b.perEnterpriseYearCap = r.nextInt(4) == 0 ? null : Money.ofYuan(1_000 + r.nextInt(12_000));
    b.overflow = r.nextBoolean() ? Overflow.FORFEIT : Overflow.CARRY_OVER;
    b.duplicate = r.nextInt(4) == 0 ? Duplicate.EXCLUSIVE : Duplicate.TOP_UP;
    List<Enterprise> enterprises = new ArrayList<>();
    int nEnterprises = 1 + r.nextInt(5);
    for (int i = 0; i < nEnterprises; i++) {
      enterprises.add(
          Enterprise.of(
              "E" + i,
              "F" + i,
              "huangpu",
              r.nextInt(8) > 0,
              r.nextBoolean(),
              r.nextBoolean(),
              r.nextInt(10) == 0));
    }
    List<Device> devices = new ArrayList<>();
    List<EvidenceRow> evidence = new ArrayList<>();
    List<PriorAward> prior = new ArrayList<>();
    int nDevices = r.nextInt(40);
    for (int i = 0; i < nDevices; i++) {
      String id = String.format("D%03d", i);
      Money cost = r.nextInt(10) == 0 ? null : Money.ofFen(r.nextInt(300_000));
      devices.add(
          new Device(
              id,
              "E" + r.nextInt(nEnterprises),
              "id-" + r.nextInt(Math.max(1, nDevices - nDevices / 8)),
              cost,
              LocalDate.of(2023, 1, 1).plusDays(r.nextInt(700))));
      int rows = r.nextInt(5);
      for (int k = 0; k < rows; k++) {
        Instant start = NOV_2023.plusSeconds(r.nextInt(420) * 86_400L + r.nextInt(86_400));
        long length = 3600L + r.nextInt(25 * 86_400);
        evidence.add(
            new EvidenceRow(
                id,
                start,
                start.plusSeconds(length),
                (long) (length * (r.nextInt(101) / 100.0)),
                r.nextInt(4) == 0 ? 0 : r.nextInt(1000),
                r.nextInt(6) == 0 ? 0 : r.nextInt(50),
                r.nextInt(10) == 0 ? 9000 : r.nextInt(3000),
                r.nextInt(10) > 0));
      }
      if (r.nextInt(6) == 0) {
        prior.add(
            new PriorAward(
                id,
                r.nextBoolean() ? b.name : "guangdong-voucher",
                YEAR - r.nextInt(2),
                Money.ofFen(r.nextInt(250_000))));
      }
    }
    LocalDate asOf =
        r.nextInt(3) == 0 ? LocalDate.of(YEAR, 1 + r.nextInt(12), 1) : LocalDate.of(YEAR, 12, 31);
    return new Fleet(b.build(), asOf, enterprises, devices, evidence, prior);
  }

  @Test
  void no_enterprise_annual_cap_is_ever_exceeded_counting_what_was_paid_earlier_in_the_year() {
    for (long seed = 0; seed < FLEETS; seed++) {
      Fleet f = fleet(seed);
      if (f.policy().perEnterpriseYearCap() == null) {
        continue;
      }
      Map<String, String> enterpriseOf = new HashMap<>();
      f.devices().forEach(d -> enterpriseOf.put(d.id(), d.enterpriseId()));
      Map<String, Money> paidBefore = new HashMap<>();
      for (PriorAward p : f.prior()) {
        if (p.policy().equals(f.policy().name()) && p.year() == YEAR) {
          paidBefore.merge(enterpriseOf.get(p.subjectId()), p.amount(), Money::plus);
        }
      }
      for (Map.Entry<String, Money> e :
          AwardSummary.of(f.meter()).awardedByEnterprise().entrySet()) {
        Money room =
            f.policy()
                .perEnterpriseYearCap()
                .minus(paidBefore.getOrDefault(e.getKey(), Money.ZERO))
                .max(Money.ZERO);
        assertThat(e.getValue())
            .as("seed %d, enterprise %s", seed, e.getKey())
            .isLessThanOrEqualTo(room);
      }
    }
  }

  @Test
  void totals_equal_the_sum_of_the_rows() {
    for (long seed = 0; seed < FLEETS; seed++) {
      List<Award> awards = fleet(seed).meter();
      AwardSummary s = AwardSummary.of(awards);
      long fen = 0;
      Map<String, Money> byEnterprise = new HashMap<>();
      for (Award a : awards) {
        fen += a.amount().fen();
        byEnterprise.merge(a.enterpriseId(), a.amount(), Money::plus);
      }
      assertThat(s.total()).as("seed %d", seed).isEqualTo(Money.ofFen(fen));
      assertThat(s.awardedByEnterprise()).as("seed %d", seed).isEqualTo(byEnterprise);
      assertThat(s.rowsByStatus().values().stream().mapToLong(Long::longValue).sum())
          .as("seed %d", seed)
          .isEqualTo(awards.size());
    }
  }

  @Test
  void shuffling_the_input_rows_never_changes_the_output() {
    for (long seed = 0; seed < FLEETS; seed++) {
      Fleet f = fleet(seed);
      assertThat(f.shuffled(new Random(~seed)).meter()).as("seed %d", seed).isEqualTo(f.meter());
    }
  }

  @Test
  void re_running_with_this_runs_awards_as_prior_awards_pays_nothing_twice() {
    for (long seed = 0; seed < FLEETS; seed++) {
      Fleet f = fleet(seed);
      List<Award> first = f.meter();
      List<Award> second = f.withPrior(asPrior(f.policy(), first)).meter();
      assertThat(second)
          .as("seed %d", seed)
          .allSatisfy(a -> assertThat(a.amount()).isEqualTo(Money.ZERO));
    }
  }

  @Test
  void every_non_zero_award_has_a_verified_device_with_cost_evidence() {
    for (long seed = 0; seed < FLEETS; seed++) {
      for (Award a : fleet(seed).meter()) {
        if (a.amount().isPositive()) {
          assertThat(a.status())
              .as("seed %d %s", seed, a)
              .isIn(AwardStatus.AWARDED, AwardStatus.PARTIAL);
          assertThat(a.verification())
              .as("seed %d %s", seed, a)
              .isNotEmpty()
              .allMatch(RuleOutcome::passed);
          assertThat(a.verifiedOn()).as("seed %d %s", seed, a).isNotNull();
          assertThat(a.cost())
              .as("seed %d %s", seed, a)
              .isNotNull()
              .isGreaterThanOrEqualTo(a.amount());
          assertThat(a.amount()).isLessThanOrEqualTo(Money.ofYuan(2000));
        }
      }
    }
  }

  @Test
  void the_random_fleets_reach_every_status_so_the_properties_are_not_vacuous() {
    java.util.Set<AwardStatus> devices = java.util.EnumSet.noneOf(AwardStatus.class);
    java.util.Set<AwardStatus> claims = java.util.EnumSet.noneOf(AwardStatus.class);
    for (long seed = 0; seed < FLEETS; seed++) {
      fleet(seed).meter().forEach(a -> devices.add(a.status()));
      claimSet(seed).meter().forEach(a -> claims.add(a.status()));
    }
    assertThat(devices).containsExactlyInAnyOrder(AwardStatus.values());
    assertThat(claims)
        .containsExactlyInAnyOrder(
            AwardStatus.INELIGIBLE_ENTERPRISE,
            AwardStatus.ALREADY_AWARDED,
            AwardStatus.NO_COST,
            AwardStatus.COVERED_ELSEWHERE,
            AwardStatus.CAPPED,
            AwardStatus.PARTIAL,
            AwardStatus.AWARDED);
  }

  // --- cost-ratio policies (P2–P5, P7) --------------------------------------------------------

  /** One random set of claims under a cost-ratio policy with small caps, so they bind often. */
  private record ClaimSet(
      Policy policy, List<Enterprise> enterprises, List<Claim> claims, List<PriorAward> prior) {

    List<Award> meter() {
      return ClaimAllocator.allocate(policy, YEAR, null, claims, enterprises, prior);
    }
  }

  private static ClaimSet claimSet(long seed) {
    Random r = new Random(seed);
    Policy.Builder b = BuiltinPolicies.FOSHAN_VOUCHER.toBuilder();
    b.rates =
        r.nextBoolean()
            ? RateSchedule.fixed(Rate.percent(1 + r.nextInt(100)))
            : RateSchedule.perServiceYear(Rate.percent(80), Rate.percent(50), Rate.percent(20));
    b.perEnterpriseYearCap = r.nextInt(4) == 0 ? null : Money.ofYuan(500 + r.nextInt(5_000));
    b.perProviderCap = r.nextInt(4) == 0 ? null : Money.ofYuan(500 + r.nextInt(8_000));
    b.programmeBudget = r.nextInt(4) == 0 ? null : Money.ofYuan(1_000 + r.nextInt(20_000));
    b.eligibleKinds =
        r.nextBoolean() ? java.util.Set.of() : java.util.Set.of("cloud_software", "device_access");
    b.eligibility = BuiltinPolicies.HUANGPU_SME_CLOUD_2019.eligibility();
    b.duplicate = r.nextInt(4) == 0 ? Duplicate.EXCLUSIVE : Duplicate.TOP_UP;
    b.combinedCeiling = r.nextInt(5) == 0 ? Rate.percent(50) : null;
    b.overflow = r.nextBoolean() ? Overflow.FORFEIT : Overflow.CARRY_OVER;
    String[] kinds = {"cloud_software", "device_access", "equipment_purchase", "evaluation"};
    int nEnterprises = 1 + r.nextInt(6);
    List<Enterprise> enterprises = new ArrayList<>();
    for (int i = 0; i < nEnterprises; i++) {
      enterprises.add(
          Enterprise.of("E" + i, "F" + i, "x", true, r.nextInt(6) > 0, r.nextBoolean(), false));
    }
    List<Claim> claims = new ArrayList<>();
    List<PriorAward> prior = new ArrayList<>();
    int n = r.nextInt(40);
    for (int i = 0; i < n; i++) {
      String id = String.format("C%03d", i);
      claims.add(
          new Claim(
              id,
              "E" + r.nextInt(nEnterprises),
              "P" + r.nextInt(4),
              kinds[r.nextInt(kinds.length)],
              Money.ofFen(r.nextInt(1_000_000)),
              1 + r.nextInt(4),
              LocalDate.of(2023, 6, 1).plusDays(r.nextInt(580))));
      if (r.nextInt(6) == 0) {
        prior.add(
            new PriorAward(
                id,
                r.nextBoolean() ? b.name : "guangdong-voucher",
                YEAR - r.nextInt(2),
                Money.ofFen(r.nextInt(300_000))));
      }
    }
    return new ClaimSet(b.build(), enterprises, claims, prior);
  }

  @Test
  void no_enterprise_provider_or_programme_cap_is_ever_exceeded() {
    for (long seed = 0; seed < FLEETS; seed++) {
      ClaimSet c = claimSet(seed);
      Map<String, Claim> byId = new HashMap<>();
      c.claims().forEach(x -> byId.put(x.id(), x));
      Map<String, Money> enterpriseBefore = new HashMap<>();
      Map<String, Money> providerBefore = new HashMap<>();
      Money budgetBefore = Money.ZERO;
      for (PriorAward p : c.prior()) {
        if (p.policy().equals(c.policy().name()) && p.year() == YEAR) {
          enterpriseBefore.merge(byId.get(p.subjectId()).enterpriseId(), p.amount(), Money::plus);
          providerBefore.merge(byId.get(p.subjectId()).providerId(), p.amount(), Money::plus);
          budgetBefore = budgetBefore.plus(p.amount());
        }
      }
      List<Award> awards = c.meter();
      Map<String, Money> byEnterprise = new HashMap<>();
      Map<String, Money> byProvider = new HashMap<>();
      Money total = Money.ZERO;
      for (Award a : awards) {
        byEnterprise.merge(a.enterpriseId(), a.amount(), Money::plus);
        byProvider.merge(byId.get(a.subjectId()).providerId(), a.amount(), Money::plus);
        total = total.plus(a.amount());
      }
      Policy p = c.policy();
      if (p.perEnterpriseYearCap() != null) {
        byEnterprise.forEach(
            (e, m) ->
                assertThat(m)
                    .isLessThanOrEqualTo(room(p.perEnterpriseYearCap(), enterpriseBefore.get(e))));
      }
      if (p.perProviderCap() != null) {
        byProvider.forEach(
            (e, m) ->
                assertThat(m).isLessThanOrEqualTo(room(p.perProviderCap(), providerBefore.get(e))));
      }
      if (p.programmeBudget() != null) {
        assertThat(total)
            .as("seed %d", seed)
            .isLessThanOrEqualTo(room(p.programmeBudget(), budgetBefore));
      }
    }
  }

  @Test
  void claims_shuffled_give_the_same_awards_and_a_re_run_pays_nothing_twice() {
    for (long seed = 0; seed < FLEETS; seed++) {
      ClaimSet c = claimSet(seed);
      Random r = new Random(~seed);
      List<Award> awards = c.meter();
      ClaimSet shuffled =
          new ClaimSet(
              c.policy(),
              shuffle(c.enterprises(), r),
              shuffle(c.claims(), r),
              shuffle(c.prior(), r));
      List<PriorAward> again = new ArrayList<>(c.prior());
      again.addAll(asPrior(c.policy(), awards));

      assertThat(shuffled.meter()).as("seed %d", seed).isEqualTo(awards);
      assertThat(new ClaimSet(c.policy(), c.enterprises(), c.claims(), again).meter())
          .as("seed %d", seed)
          .allSatisfy(a -> assertThat(a.amount()).isEqualTo(Money.ZERO));
      for (Award a : awards) {
        if (a.amount().isPositive()) {
          assertThat(a.status())
              .as("seed %d %s", seed, a)
              .isIn(AwardStatus.AWARDED, AwardStatus.PARTIAL);
          assertThat(a.amount()).as("seed %d %s", seed, a).isLessThanOrEqualTo(a.cost());
        }
      }
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  private static Money room(Money cap, Money before) {
    return cap.minus(before == null ? Money.ZERO : before).max(Money.ZERO);
  }

  private static List<PriorAward> asPrior(Policy policy, List<Award> awards) {
    return awards.stream()
        .filter(a -> a.amount().isPositive())
        .map(a -> new PriorAward(a.subjectId(), policy.name(), a.year(), a.amount()))
        .toList();
  }

  private static <T> List<T> shuffle(List<T> list, Random r) {
    List<T> copy = new ArrayList<>(list);
    Collections.shuffle(copy, r);
    return copy;
  }
}
