package dev.onboard.meter.allocation;

import static dev.onboard.meter.allocation.Claims.claim;
import static dev.onboard.meter.allocation.Claims.device;
import static dev.onboard.meter.allocation.Claims.eligible;
import static dev.onboard.meter.allocation.Claims.notVerified;
import static dev.onboard.meter.allocation.Claims.pending;
import static dev.onboard.meter.allocation.Claims.prior;
import static dev.onboard.meter.allocation.Claims.verified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.onboard.meter.inventory.Device;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.policy.BuiltinPolicies;
import dev.onboard.meter.policy.Duplicate;
import dev.onboard.meter.policy.Overflow;
import dev.onboard.meter.policy.Policy;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** P1 {@code huangpu-device-2019}: 穗埔府规〔2019〕9号 第二条, 第四条, 第十条 and issue 3's defaults. */
class HuangpuDevicePolicyTest {
  private static final Policy P1 = BuiltinPolicies.HUANGPU_DEVICE_2019;
  private static final LocalDate AS_OF = LocalDate.of(2024, 12, 31);
  private static final LocalDate MARCH_31 = LocalDate.of(2024, 3, 31);
  private static final Enterprise E1 = eligible("E1");

  private static List<Award> allocate(List<DeviceClaim> claims, List<PriorAward> prior) {
    return allocate(P1, claims, prior);
  }

  private static List<Award> allocate(
      Policy policy, List<DeviceClaim> claims, List<PriorAward> prior) {
    return DeviceAllocator.allocate(policy, 2024, AS_OF, claims, prior);
  }

  private static Award only(List<Award> awards) {
    assertThat(awards).hasSize(1);
    return awards.get(0);
  }

  @Test
  void clause_4_pays_the_full_onboarding_cost_of_a_verified_device_below_2000_yuan() {
    Award a =
        only(
            allocate(
                List.of(claim(device("D1", "E1", "1999.50"), E1, verified(MARCH_31))), List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.AWARDED);
    assertThat(a.amount()).isEqualTo(Money.parseYuan("1999.50"));
    assertThat(a.verifiedOn()).isEqualTo(MARCH_31);
    assertThat(a.reasons())
        .containsExactly("award = min(cost 1999.50, 2000.00) = 1999.50 (穗埔府规〔2019〕9号 第四条)");
  }

  @Test
  void clause_4_caps_each_device_at_2000_yuan_of_its_cost() {
    Award a =
        only(
            allocate(
                List.of(claim(device("D1", "E1", "2500.00"), E1, verified(MARCH_31))), List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.AWARDED);
    assertThat(a.amount()).isEqualTo(Money.ofYuan(2000));
    assertThat(a.cost()).isEqualTo(Money.ofYuan(2500));
  }

  @Test
  void clause_4_a_device_without_cost_evidence_gets_no_cost_and_zero_never_a_guess() {
    Award a =
        only(allocate(List.of(claim(device("D1", "E1", null), E1, verified(MARCH_31))), List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.NO_COST);
    assertThat(a.amount()).isEqualTo(Money.ZERO);
    assertThat(a.reasons()).containsExactly("no cost evidence");
  }

  @Test
  void clause_4_only_verified_devices_are_paid_and_unverified_ones_say_which_rule_failed() {
    Award a =
        only(
            allocate(
                List.of(claim(device("D1", "E1", "800"), E1, notVerified(MARCH_31))), List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.NOT_VERIFIED);
    assertThat(a.amount()).isEqualTo(Money.ZERO);
    assertThat(a.reasons().get(0))
        .isEqualTo("not verified: online ratio 0.5000 < 0.6 over 30 days (VERIFICATION 3)");
  }

  @Test
  void clause_4_caps_each_enterprise_at_100000_yuan_a_year_in_order_of_verification() {
    // 51 devices of 2000: the first 50 fill the cap exactly; the 51st is capped.
    // Then one more verified later gets CAPPED too. D00 is verified last but sorts first by id.
    List<DeviceClaim> claims = new ArrayList<>();
    for (int i = 1; i <= 51; i++) {
      claims.add(claim(device(String.format("D%02d", i), "E1", "2000"), E1, verified(MARCH_31)));
    }
    claims.add(claim(device("D00", "E1", "2000"), E1, verified(LocalDate.of(2024, 6, 1))));

    List<Award> awards = allocate(claims, List.of());

    assertThat(awards.stream().map(Award::amount).reduce(Money.ZERO, Money::plus))
        .isEqualTo(Money.ofYuan(100_000));
    assertThat(awards)
        .filteredOn(a -> a.status() == AwardStatus.CAPPED)
        .extracting(Award::subjectId, Award::amount)
        .containsExactly(tuple("D00", Money.ZERO), tuple("D51", Money.ZERO));
    assertThat(awards.get(0).reasons())
        .contains(
            "enterprise annual cap reached: enterprise annual cap 100000.00 (穗埔府规〔2019〕9号 第四条)");
  }

  @Test
  void clause_4_the_device_that_crosses_the_annual_cap_is_partial_with_the_remainder() {
    List<DeviceClaim> claims = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      String cost = i == 1 ? "1500" : "2000"; // 1500 + 49 × 2000 = 99,500 after 50 devices
      claims.add(claim(device(String.format("D%02d", i), "E1", cost), E1, verified(MARCH_31)));
    }
    claims.add(claim(device("D51", "E1", "2000"), E1, verified(MARCH_31)));
    claims.add(claim(device("D52", "E1", "2000"), E1, verified(MARCH_31)));

    List<Award> awards = allocate(claims, List.of());

    assertThat(awards)
        .extracting(Award::subjectId, Award::status, Award::amount)
        .contains(
            tuple("D50", AwardStatus.AWARDED, Money.ofYuan(2000)),
            tuple("D51", AwardStatus.PARTIAL, Money.ofYuan(500)),
            tuple("D52", AwardStatus.CAPPED, Money.ZERO));
    assertThat(awards.get(50).reasons())
        .contains(
            "partial: 500.00 of 2000.00 left under the enterprise annual cap 100000.00 (穗埔府规〔2019〕9号 第四条)");
  }

  @Test
  void clause_4_the_annual_cap_counts_what_this_policy_paid_the_enterprise_earlier_this_year() {
    Device paidEarlier = device("D0", "E1", "2000");
    List<DeviceClaim> claims = new ArrayList<>();
    claims.add(claim(paidEarlier, E1, verified(LocalDate.of(2024, 2, 1))));
    claims.add(claim(device("D1", "E1", "2000"), E1, verified(MARCH_31)));

    List<Award> awards = allocate(claims, List.of(prior("D0", P1.name(), 2024, "99000.00")));

    assertThat(awards)
        .extracting(Award::subjectId, Award::status, Award::amount)
        .containsExactly(
            tuple("D0", AwardStatus.ALREADY_AWARDED, Money.ZERO),
            tuple("D1", AwardStatus.PARTIAL, Money.ofYuan(1000)));
  }

  @Test
  void clause_4_a_device_already_paid_by_this_policy_in_an_earlier_year_is_already_awarded() {
    Award a =
        only(
            allocate(
                List.of(claim(device("D1", "E1", "2000"), E1, verified(MARCH_31))),
                List.of(prior("D1", P1.name(), 2023, "2000.00"))));

    assertThat(a.status()).isEqualTo(AwardStatus.ALREADY_AWARDED);
    assertThat(a.amount()).isEqualTo(Money.ZERO);
    assertThat(a.reasons().get(0))
        .isEqualTo(
            "already paid 2000.00 by huangpu-device-2019 (穗埔府规〔2019〕9号 第四条: once per device)");
  }

  @Test
  void verification_1_a_shared_identity_stays_with_the_earliest_claim_then_the_lowest_device_id() {
    Enterprise e2 = eligible("E2");
    Device first =
        new Device("D9", "E2", "plc-serial-7", Money.ofYuan(2000), LocalDate.of(2023, 5, 1));
    Device tieLow =
        new Device("D2", "E1", "plc-serial-7", Money.ofYuan(2000), LocalDate.of(2023, 6, 1));
    Device tieHigh =
        new Device("D3", "E1", "plc-serial-7", Money.ofYuan(2000), LocalDate.of(2023, 6, 1));

    List<Award> awards =
        allocate(
            List.of(
                claim(tieHigh, E1, verified(MARCH_31)),
                claim(first, e2, verified(MARCH_31)),
                claim(tieLow, E1, verified(MARCH_31))),
            List.of());

    assertThat(awards)
        .extracting(Award::subjectId, Award::status)
        .containsExactly(
            tuple("D2", AwardStatus.DUPLICATE_IDENTITY),
            tuple("D3", AwardStatus.DUPLICATE_IDENTITY),
            tuple("D9", AwardStatus.AWARDED));
    assertThat(awards.get(0).reasons())
        .containsExactly(
            "identity plc-serial-7 already claimed by device D9 on 2023-05-01 (VERIFICATION 1)");
  }

  @Test
  void clause_2_an_enterprise_that_is_not_an_independent_legal_entity_is_ineligible() {
    Enterprise branch = Enterprise.of("E2", "Branch", "huangpu", false, true, true, false);

    Award a =
        only(
            allocate(
                List.of(claim(device("D1", "E2", "2000"), branch, verified(MARCH_31))), List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.INELIGIBLE_ENTERPRISE);
    assertThat(a.amount()).isEqualTo(Money.ZERO);
    assertThat(a.reasons().get(0))
        .isEqualTo(
            "ineligible enterprise: requires independent_legal_entity=true, enterprise has false (穗埔府规〔2019〕9号 第二条)");
  }

  @Test
  void clause_2_an_enterprise_that_broke_its_10_year_commitment_is_ineligible() {
    Enterprise mover = Enterprise.of("E2", "Mover", "huangpu", true, true, true, true);

    Award a =
        only(
            allocate(
                List.of(claim(device("D1", "E2", "2000"), mover, verified(MARCH_31))), List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.INELIGIBLE_ENTERPRISE);
    assertThat(a.amount()).isEqualTo(Money.ZERO);
  }

  @Test
  void clause_10_an_award_already_partly_paid_by_another_policy_is_topped_up_to_the_highest() {
    Award a =
        only(
            allocate(
                List.of(claim(device("D1", "E1", "2000"), E1, verified(MARCH_31))),
                List.of(prior("D1", "guangdong-voucher", 2024, "500.00"))));

    assertThat(a.status()).isEqualTo(AwardStatus.AWARDED);
    assertThat(a.amount()).isEqualTo(Money.ofYuan(1500));
    assertThat(a.reasons())
        .contains("top-up = 2000.00 − 500.00 under guangdong-voucher = 1500.00 (就高不重复)");
  }

  @Test
  void clause_10_a_device_paid_as_much_elsewhere_is_covered_elsewhere_and_gets_zero() {
    Award a =
        only(
            allocate(
                List.of(claim(device("D1", "E1", "1800"), E1, verified(MARCH_31))),
                List.of(
                    prior("D1", "foshan-voucher", 2023, "1000.00"),
                    prior("D1", "guangdong-voucher", 2024, "800.00"))));

    assertThat(a.status()).isEqualTo(AwardStatus.COVERED_ELSEWHERE);
    assertThat(a.amount()).isEqualTo(Money.ZERO);
    assertThat(a.reasons())
        .contains(
            "covered elsewhere: received 1000.00 under foshan-voucher + 800.00 under guangdong-voucher ≥ 1800.00 (就高不重复)");
  }

  @Test
  void cross_cutting_duplicate_exclusive_pays_nothing_once_anything_was_received_elsewhere() {
    Policy exclusive = P1.withDuplicate(Duplicate.EXCLUSIVE);
    Award a =
        only(
            allocate(
                exclusive,
                List.of(claim(device("D1", "E1", "2000"), E1, verified(MARCH_31))),
                List.of(prior("D1", "guangdong-voucher", 2024, "0.01"))));

    assertThat(a.status()).isEqualTo(AwardStatus.COVERED_ELSEWHERE);
    assertThat(a.amount()).isEqualTo(Money.ZERO);
  }

  @Test
  void default_a_device_belongs_to_the_year_its_window_ends_and_pending_ones_to_the_as_of_year() {
    List<Award> awards =
        allocate(
            List.of(
                claim(device("D1", "E1", "2000"), E1, verified(LocalDate.of(2023, 12, 31))),
                claim(device("D2", "E1", "2000"), E1, pending(LocalDate.of(2025, 1, 14))),
                claim(device("D3", "E1", "2000"), E1, verified(LocalDate.of(2024, 1, 1)))),
            List.of());

    assertThat(awards)
        .extracting(Award::subjectId, Award::status, Award::year, Award::verifiedOn)
        .containsExactly(
            tuple("D2", AwardStatus.PENDING, 2024, null),
            tuple("D3", AwardStatus.AWARDED, 2024, LocalDate.of(2024, 1, 1)));
  }

  @Test
  void default_when_several_statuses_apply_the_first_wins_and_the_reasons_list_them_all() {
    Enterprise mover = Enterprise.of("E2", "Mover", "huangpu", true, true, true, true);
    Device owner = new Device("D1", "E1", "same", Money.ofYuan(1), LocalDate.of(2023, 1, 1));
    Device second = new Device("D2", "E2", "same", null, LocalDate.of(2023, 2, 1));

    List<Award> awards =
        allocate(
            List.of(
                claim(owner, E1, verified(MARCH_31)), claim(second, mover, notVerified(MARCH_31))),
            List.of());

    Award a = awards.get(1);
    assertThat(a.status()).isEqualTo(AwardStatus.INELIGIBLE_ENTERPRISE);
    assertThat(a.reasons())
        .containsExactly(
            "ineligible enterprise: requires commitment_broken=false, enterprise has true (穗埔府规〔2019〕9号 第二条)",
            "identity same already claimed by device D1 on 2023-01-01 (VERIFICATION 1)",
            "not verified: online ratio 0.5000 < 0.6 over 30 days (VERIFICATION 3)",
            "no cost evidence");
  }

  @Test
  void default_overflow_forfeit_drops_capped_devices_and_carry_over_pays_them_next_year() {
    List<DeviceClaim> claims = new ArrayList<>();
    for (int i = 1; i <= 51; i++) {
      claims.add(
          claim(
              device(String.format("D%02d", i), "E1", "2000"),
              E1,
              verified(LocalDate.of(2023, 6, 1))));
    }
    claims.add(claim(device("D99", "E1", "2000"), E1, verified(MARCH_31)));
    List<PriorAward> paid2023 = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      paid2023.add(prior(String.format("D%02d", i), P1.name(), 2023, "2000.00"));
    }

    List<Award> forfeit = allocate(claims, paid2023);
    List<Award> carry = allocate(P1.withOverflow(Overflow.CARRY_OVER), claims, paid2023);

    assertThat(forfeit).extracting(Award::subjectId).containsExactly("D99");
    assertThat(carry)
        .extracting(Award::subjectId, Award::status, Award::amount)
        .containsExactly(
            tuple("D51", AwardStatus.AWARDED, Money.ofYuan(2000)),
            tuple("D99", AwardStatus.AWARDED, Money.ofYuan(2000)));
    assertThat(carry.get(0).reasons()).contains("carried over from 2023 (overflow: carry-over)");
  }

  @Test
  void clause_2_a_broken_commitment_makes_the_awards_already_paid_recoverable() {
    Enterprise mover = Enterprise.of("E2", "Mover", "huangpu", true, true, true, true);
    Map<String, Enterprise> enterprises = Map.of("E1", E1, "E2", mover);
    Map<String, String> enterpriseOf = Map.of("D1", "E2", "D2", "E2", "D3", "E1");
    List<PriorAward> prior =
        List.of(
            prior("D1", P1.name(), 2022, "2000.00"),
            prior("D2", P1.name(), 2023, "1500.00"),
            prior("D2", "guangdong-voucher", 2023, "300.00"),
            prior("D3", P1.name(), 2023, "2000.00"));

    List<Recoverable> recoverable = Clawbacks.recoverable(P1, enterpriseOf, enterprises, prior);

    assertThat(recoverable)
        .extracting(Recoverable::enterpriseId, Recoverable::subjectId, Recoverable::amount)
        .containsExactly(
            tuple("E2", "D1", Money.ofYuan(2000)), tuple("E2", "D2", Money.ofYuan(1500)));
    assertThat(recoverable.get(0).reason())
        .isEqualTo(
            "recoverable: 2000.00 paid for 2022; requires commitment_broken=false, enterprise has true (穗埔府规〔2019〕9号 第二条)");
  }

  @Test
  void clause_2_not_being_an_independent_legal_entity_recovers_nothing_already_paid() {
    Enterprise branch = Enterprise.of("E2", "Branch", "huangpu", false, true, true, false);

    assertThat(
            Clawbacks.recoverable(
                P1,
                Map.of("D1", "E2"),
                Map.of("E2", branch),
                List.of(prior("D1", P1.name(), 2023, "2000.00"))))
        .isEmpty();
  }
}
