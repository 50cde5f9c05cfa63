package dev.onboard.meter.allocation;

import static dev.onboard.meter.allocation.CostClaims.MARCH_1;
import static dev.onboard.meter.allocation.CostClaims.allocate;
import static dev.onboard.meter.allocation.CostClaims.claim;
import static dev.onboard.meter.allocation.CostClaims.enterprise;
import static dev.onboard.meter.allocation.CostClaims.only;
import static dev.onboard.meter.allocation.CostClaims.serviceYear;
import static dev.onboard.meter.allocation.CostClaims.total;
import static dev.onboard.meter.allocation.CostClaims.yuan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.onboard.meter.inventory.Claim;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.money.Rate;
import dev.onboard.meter.policy.BuiltinPolicies;
import dev.onboard.meter.policy.Duplicate;
import dev.onboard.meter.policy.Overflow;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.policy.RateSchedule;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cost-ratio policies P2–P5 and P7 (POLICIES.md), each test named after the clause it shows:
 * 穗埔府规〔2019〕9号 第四条 第二款 and 第七条, Foshan 一, Liuzhou (六)/(十一)/(十三)/(十四), 粤府〔2018〕23号 一(二).
 */
class CostRatioPoliciesTest {
  private static final Policy P2 = BuiltinPolicies.HUANGPU_SME_CLOUD_2019;
  private static final Policy P3 = BuiltinPolicies.HUANGPU_EVALUATION_2019;
  private static final Policy P4 = BuiltinPolicies.FOSHAN_VOUCHER;
  private static final Policy P5 = BuiltinPolicies.LIUZHOU_CLOUD_VOUCHER;
  private static final Policy P7 = BuiltinPolicies.GUANGDONG_VOUCHER;
  private static final Enterprise SME = enterprise("E1", "sme");
  private static final Enterprise BIG = enterprise("E2");
  private static final Enterprise ABOVE_SCALE = enterprise("E3", "above_scale");

  // --- P2 huangpu-sme-cloud-2019 --------------------------------------------------------------

  @Test
  void huangpu_clause_4_para_2_pays_50_percent_of_cloud_software_and_supporting_tools() {
    List<Award> awards =
        allocate(
            P2,
            List.of(
                claim("C1", "E1", "cloud_software", "12345.67"),
                claim("C2", "E1", "supporting_tools", "1000.00")),
            List.of(SME),
            List.of());

    assertThat(awards)
        .extracting(Award::subjectId, Award::status, Award::amount)
        .containsExactly(
            tuple("C1", AwardStatus.AWARDED, yuan("6172.84")),
            tuple("C2", AwardStatus.AWARDED, yuan("500.00")));
    assertThat(awards.get(0).reasons())
        .containsExactly("award = 50% × 12345.67 = 6172.84 (穗埔府规〔2019〕9号 第四条)");
  }

  @Test
  void huangpu_clause_4_para_2_rounds_half_up_to_the_fen_once_at_the_end_of_the_award() {
    // 50% × 0.01 = 0.005 → 0.01; 50% × 0.03 = 0.015 → 0.02
    assertThat(
            only(allocate(
                    P2,
                    List.of(claim("C1", "E1", "cloud_software", "0.01")),
                    List.of(SME),
                    List.of()))
                .amount())
        .isEqualTo(yuan("0.01"));
    assertThat(
            only(allocate(
                    P2,
                    List.of(claim("C1", "E1", "cloud_software", "0.03")),
                    List.of(SME),
                    List.of()))
                .amount())
        .isEqualTo(yuan("0.02"));
  }

  @Test
  void huangpu_clause_4_para_2_caps_each_enterprise_at_200000_yuan_a_year() {
    List<Award> awards =
        allocate(
            P2,
            List.of(
                claim("C1", "E1", "P1", "300000.00", MARCH_1),
                claim("C2", "E1", "P1", "150000.00", MARCH_1.plusDays(1)),
                claim("C3", "E1", "P1", "10000.00", MARCH_1.plusDays(2))),
            List.of(SME),
            List.of());

    assertThat(awards)
        .extracting(Award::subjectId, Award::status, Award::amount)
        .containsExactly(
            tuple("C1", AwardStatus.AWARDED, yuan("150000.00")),
            tuple("C2", AwardStatus.PARTIAL, yuan("50000.00")),
            tuple("C3", AwardStatus.CAPPED, Money.ZERO));
    assertThat(awards.get(1).reasons())
        .contains(
            "partial: 50000.00 of 75000.00 left under the enterprise annual cap 200000.00 (穗埔府规〔2019〕9号 第四条)");
    assertThat(awards.get(2).reasons())
        .contains("cap reached: enterprise annual cap 200000.00 (穗埔府规〔2019〕9号 第四条)");
  }

  @Test
  void huangpu_clause_4_para_2_is_for_smes_only() {
    Award a =
        only(
            allocate(
                P2, List.of(claim("C1", "E2", "cloud_software", "1000")), List.of(BIG), List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.INELIGIBLE_ENTERPRISE);
    assertThat(a.amount()).isEqualTo(Money.ZERO);
    assertThat(a.reasons())
        .containsExactly(
            "ineligible enterprise: requires sme=true, enterprise has false (穗埔府规〔2019〕9号 第四条)");
  }

  @Test
  void huangpu_clause_4_para_2_counts_only_cloud_software_and_supporting_tools() {
    Award a =
        only(
            allocate(
                P2, List.of(claim("C1", "E1", "evaluation", "1000")), List.of(SME), List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.NO_COST);
    assertThat(a.reasons())
        .containsExactly(
            "no eligible cost: kind evaluation does not count, only cloud_software, supporting_tools (穗埔府规〔2019〕9号 第四条)");
  }

  // --- P3 huangpu-evaluation-2019 -------------------------------------------------------------

  @Test
  void huangpu_clause_7_pays_30_percent_of_evaluation_fees_up_to_150000_yuan_a_year() {
    List<Award> awards =
        allocate(
            P3,
            List.of(
                claim("C1", "E2", "evaluation", "400000.00"),
                claim("C2", "E2", "evaluation", "200000.00")),
            List.of(BIG),
            List.of());

    assertThat(awards)
        .extracting(Award::subjectId, Award::status, Award::amount)
        .containsExactly(
            tuple("C1", AwardStatus.AWARDED, yuan("120000.00")),
            tuple("C2", AwardStatus.PARTIAL, yuan("30000.00")));
    assertThat(awards.get(0).reasons())
        .containsExactly("award = 30% × 400000.00 = 120000.00 (穗埔府规〔2019〕9号 第七条)");
  }

  // --- P4 foshan-voucher ----------------------------------------------------------------------

  @Test
  void foshan_1_pays_50_percent_of_the_contract_and_at_most_500000_yuan_per_enterprise() {
    List<Award> awards =
        allocate(
            P4,
            List.of(
                claim("C1", "E2", "P1", "1200000.00", MARCH_1),
                claim("C2", "E2", "P1", "10.00", MARCH_1)),
            List.of(BIG),
            List.of());

    assertThat(awards)
        .extracting(Award::subjectId, Award::status, Award::amount)
        .containsExactly(
            tuple("C1", AwardStatus.PARTIAL, yuan("500000.00")),
            tuple("C2", AwardStatus.CAPPED, Money.ZERO));
  }

  @Test
  void foshan_1_caps_are_inclusive_so_an_award_of_exactly_500000_yuan_is_paid_in_full() {
    Award a =
        only(
            allocate(
                P4,
                List.of(claim("C1", "E2", "P1", "1000000.00", MARCH_1)),
                List.of(BIG),
                List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.AWARDED);
    assertThat(a.amount()).isEqualTo(yuan("500000.00"));
  }

  @Test
  void foshan_1_caps_one_providers_customers_at_3000000_yuan_in_order_of_application() {
    List<Enterprise> enterprises = new ArrayList<>();
    List<Claim> claims = new ArrayList<>();
    for (int i = 1; i <= 7; i++) { // 7 enterprises × 450,000 = 3,150,000 asked of provider P9
      String e = "E" + i;
      enterprises.add(enterprise(e));
      claims.add(claim("C" + i, e, "P9", "900000.00", MARCH_1.plusDays(7 - i)));
    }

    List<Award> awards = allocate(P4, claims, enterprises, List.of());

    assertThat(total(awards)).isEqualTo(yuan("3000000.00"));
    // C7 applied first, C1 last: C1 crosses the cap with what is left.
    assertThat(awards)
        .extracting(Award::subjectId, Award::status, Award::amount)
        .startsWith(
            tuple("C1", AwardStatus.PARTIAL, yuan("300000.00")),
            tuple("C2", AwardStatus.AWARDED, yuan("450000.00")));
    assertThat(awards.get(0).reasons())
        .contains(
            "partial: 300000.00 of 450000.00 left under the provider P9 cap 3000000.00 (佛山市深化“互联网+先进制造”发展工业互联网的若干政策措施 一)");
  }

  @Test
  void
      foshan_1_the_programme_budget_of_20000000_yuan_a_year_binds_in_claimed_on_then_claim_id_order() {
    List<Enterprise> enterprises = new ArrayList<>();
    List<Claim> claims = new ArrayList<>();
    for (int i = 0; i < 41; i++) { // 41 × 500,000 = 20,500,000 across 41 providers
      String e = String.format("E%02d", i);
      enterprises.add(enterprise(e));
      claims.add(claim(String.format("C%02d", i), e, "P" + i, "1000000.00", MARCH_1));
    }
    claims.set(0, claim("C00", "E00", "P0", "1000000.00", MARCH_1.plusDays(1)));

    List<Award> awards = allocate(P4, claims, enterprises, List.of());

    assertThat(total(awards)).isEqualTo(yuan("20000000.00"));
    assertThat(awards.get(0))
        .extracting(Award::subjectId, Award::status, Award::amount)
        .containsExactly("C00", AwardStatus.CAPPED, Money.ZERO);
    assertThat(awards.get(0).reasons())
        .contains("cap reached: programme budget 20000000.00 (佛山市深化“互联网+先进制造”发展工业互联网的若干政策措施 一)");
    assertThat(awards.get(40).status()).isEqualTo(AwardStatus.AWARDED);
  }

  @Test
  void
      foshan_1_the_provider_cap_counts_what_this_policy_paid_the_providers_customers_earlier_this_year() {
    List<Claim> claims =
        List.of(
            claim("OLD", "E5", "P9", "5800000.00", LocalDate.of(2024, 1, 5)),
            claim("NEW", "E2", "P9", "1000.00", MARCH_1));
    List<PriorAward> prior = List.of(new PriorAward("OLD", P4.name(), 2024, yuan("2999900.00")));

    List<Award> awards = allocate(P4, claims, List.of(BIG, enterprise("E5")), prior);

    assertThat(awards)
        .extracting(Award::subjectId, Award::status, Award::amount)
        .containsExactly(
            tuple("NEW", AwardStatus.PARTIAL, yuan("100.00")),
            tuple("OLD", AwardStatus.ALREADY_AWARDED, Money.ZERO));
    assertThat(awards.get(0).reasons())
        .contains(
            "partial: 100.00 of 500.00 left under the provider P9 cap 3000000.00 (佛山市深化“互联网+先进制造”发展工业互联网的若干政策措施 一), 2999900.00 paid earlier");
  }

  @Test
  void
      foshan_2_combined_ceiling_keeps_higher_level_plus_city_awards_within_50_percent_of_the_project() {
    Policy.Builder b = P4.toBuilder();
    b.rates = RateSchedule.fixed(Rate.percent(30));
    b.combinedCeiling = Rate.percent(50);
    Policy benchmarkProject = b.build();

    Award a =
        only(
            allocate(
                benchmarkProject,
                List.of(claim("C1", "E2", "P1", "1000000.00", MARCH_1)),
                List.of(BIG),
                List.of(new PriorAward("C1", "guangdong-voucher", 2023, yuan("400000.00")))));

    assertThat(a.status()).isEqualTo(AwardStatus.AWARDED);
    assertThat(a.amount()).isEqualTo(yuan("100000.00"));
    assertThat(a.reasons())
        .contains(
            "combined ceiling 50% of 1000000.00 = 500000.00 for 400000.00 under guangdong-voucher plus this award: 300000.00 cut to 100000.00");
  }

  // --- P5 liuzhou-cloud-voucher ---------------------------------------------------------------

  @Test
  void liuzhou_6_pays_80_50_20_percent_in_service_years_1_2_3_and_nothing_after() {
    List<Award> awards =
        allocate(
            P5,
            List.of(
                serviceYear("C1", "E3", 1, "1000.00"),
                serviceYear("C2", "E3", 2, "1000.00"),
                serviceYear("C3", "E3", 3, "1000.00"),
                serviceYear("C4", "E3", 4, "1000.00")),
            List.of(ABOVE_SCALE),
            List.of());

    assertThat(awards)
        .extracting(Award::subjectId, Award::amount)
        .containsExactly(
            tuple("C1", yuan("800.00")),
            tuple("C2", yuan("500.00")),
            tuple("C3", yuan("200.00")),
            tuple("C4", Money.ZERO));
    assertThat(awards.get(1).reasons())
        .containsExactly(
            "award = 50% (service year 2) × 1000.00 = 500.00 (柳州市加快推动工业互联网发展若干措施 (六))");
  }

  @Test
  void liuzhou_6_caps_each_enterprise_at_500000_yuan_a_year() {
    Award a =
        only(
            allocate(
                P5,
                List.of(serviceYear("C1", "E3", 1, "700000.00")),
                List.of(ABOVE_SCALE),
                List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.PARTIAL);
    assertThat(a.amount()).isEqualTo(yuan("500000.00"));
  }

  @Test
  void liuzhou_11_only_above_scale_enterprises_in_the_city_statistics_database_are_eligible() {
    Award a =
        only(allocate(P5, List.of(serviceYear("C1", "E2", 1, "1000")), List.of(BIG), List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.INELIGIBLE_ENTERPRISE);
    assertThat(a.reasons())
        .containsExactly(
            "ineligible enterprise: requires above_scale=true, enterprise has false (柳州市加快推动工业互联网发展若干措施 (十一))");
  }

  @Test
  void liuzhou_14_an_enterprise_that_refused_to_fix_a_failed_security_assessment_is_excluded() {
    Enterprise refused =
        new Enterprise(
            "E4",
            "R",
            "liuzhou",
            true,
            false,
            true,
            false,
            java.util.Map.of("security_refused", "true"));

    Award a =
        only(
            allocate(P5, List.of(serviceYear("C1", "E4", 1, "1000")), List.of(refused), List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.INELIGIBLE_ENTERPRISE);
  }

  @Test
  void liuzhou_13_a_project_supported_elsewhere_is_topped_up_to_the_highest_never_paid_twice() {
    List<Award> awards =
        allocate(
            P5,
            List.of(serviceYear("C1", "E3", 1, "1000.00"), serviceYear("C2", "E3", 1, "1000.00")),
            List.of(ABOVE_SCALE),
            List.of(
                new PriorAward("C1", "guangdong-voucher", 2024, yuan("300.00")),
                new PriorAward("C2", "guangdong-voucher", 2024, yuan("900.00"))));

    assertThat(awards)
        .extracting(Award::subjectId, Award::status, Award::amount)
        .containsExactly(
            tuple("C1", AwardStatus.AWARDED, yuan("500.00")),
            tuple("C2", AwardStatus.COVERED_ELSEWHERE, Money.ZERO));
  }

  @Test
  void cross_cutting_duplicate_exclusive_makes_a_claim_paid_anything_elsewhere_covered() {
    Award a =
        only(
            allocate(
                P5.withDuplicate(Duplicate.EXCLUSIVE),
                List.of(serviceYear("C1", "E3", 1, "1000.00")),
                List.of(ABOVE_SCALE),
                List.of(new PriorAward("C1", "guangdong-voucher", 2024, yuan("1.00")))));

    assertThat(a.status()).isEqualTo(AwardStatus.COVERED_ELSEWHERE);
    assertThat(a.amount()).isEqualTo(Money.ZERO);
  }

  @Test
  void liuzhou_6_a_claim_without_a_service_year_cannot_be_rated() {
    assertThatThrownBy(
            () ->
                allocate(
                    P5,
                    List.of(serviceYear("C1", "E3", 0, "1000.00")),
                    List.of(ABOVE_SCALE),
                    List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("claim C1 has no service year, which liuzhou-cloud-voucher needs");
  }

  // --- P7 guangdong-voucher -------------------------------------------------------------------

  @Test
  void guangdong_1_2_never_counts_equipment_purchases() {
    Award a =
        only(
            allocate(
                P7,
                List.of(claim("C1", "E2", "equipment_purchase", "50000")),
                List.of(BIG),
                List.of()));

    assertThat(a.status()).isEqualTo(AwardStatus.NO_COST);
    assertThat(a.reasons())
        .containsExactly(
            "no eligible cost: kind equipment_purchase does not count, only cloud_software, device_access, network_upgrade (粤府〔2018〕23号 一(二))");
  }

  @Test
  void
      guangdong_1_2_counts_service_device_access_and_network_fees_at_the_catalogue_rate_0_until_a_policy_file_sets_it() {
    List<Award> awards =
        allocate(
            P7,
            List.of(
                claim("C1", "E2", "cloud_software", "1000"),
                claim("C2", "E2", "device_access", "1000"),
                claim("C3", "E2", "network_upgrade", "1000")),
            List.of(BIG),
            List.of());
    Policy.Builder b = P7.toBuilder();
    b.rates = RateSchedule.fixed(Rate.percent(30));

    assertThat(awards).extracting(Award::status).containsOnly(AwardStatus.AWARDED);
    assertThat(total(awards)).isEqualTo(Money.ZERO);
    assertThat(
            total(
                allocate(
                    b.build(),
                    List.of(claim("C1", "E2", "device_access", "1000")),
                    List.of(BIG),
                    List.of())))
        .isEqualTo(yuan("300.00"));
  }

  @Test
  void
      guangdong_1_2_enterprises_with_prior_year_revenue_above_10m_are_paid_first_when_a_cap_binds() {
    Policy.Builder b = P7.toBuilder();
    b.rates = RateSchedule.fixed(Rate.percent(50));
    b.programmeBudget = yuan("1000.00");
    Enterprise big =
        new Enterprise(
            "E9",
            "Big",
            "gd",
            true,
            false,
            true,
            false,
            java.util.Map.of("prior_year_revenue_above_10m", "true"));
    List<Award> awards =
        allocate(
            b.build(),
            List.of(
                claim("EARLY", "E2", "P1", "1200.00", MARCH_1),
                claim("LATE", "E9", "P1", "1200.00", MARCH_1.plusDays(30))),
            List.of(BIG, big),
            List.of());

    assertThat(awards)
        .extracting(Award::subjectId, Award::status, Award::amount)
        .containsExactly(
            tuple("EARLY", AwardStatus.PARTIAL, yuan("400.00")),
            tuple("LATE", AwardStatus.AWARDED, yuan("600.00")));
    assertThat(awards.get(1).reasons())
        .contains("paid first: prior_year_revenue_above_10m=true (粤府〔2018〕23号 一(二) 重点支持)");
  }

  // --- defaults -------------------------------------------------------------------------------

  @Test
  void default_a_claim_belongs_to_the_year_it_was_claimed_and_claims_after_as_of_are_left_out() {
    List<Claim> claims =
        List.of(
            claim("C2023", "E2", "P1", "100", LocalDate.of(2023, 12, 31)),
            claim("C2024", "E2", "P1", "100", LocalDate.of(2024, 6, 30)),
            claim("LATER", "E2", "P1", "100", LocalDate.of(2024, 7, 1)));

    List<Award> awards =
        ClaimAllocator.allocate(
            P3, 2024, LocalDate.of(2024, 6, 30), claims, List.of(BIG), List.of());

    assertThat(awards).extracting(Award::subjectId).containsExactly("C2024");
  }

  @Test
  void default_overflow_carry_over_brings_unpaid_claims_of_earlier_years_into_this_years_cap() {
    List<Claim> claims =
        List.of(
            claim("C2023", "E1", "P1", "100.00", LocalDate.of(2023, 12, 31)),
            claim("PAID", "E1", "P1", "100.00", LocalDate.of(2023, 11, 30)),
            claim("C2024", "E1", "P1", "100.00", MARCH_1));
    List<PriorAward> prior = List.of(new PriorAward("PAID", P2.name(), 2023, yuan("50.00")));

    List<Award> forfeit = allocate(P2, claims, List.of(SME), prior);
    List<Award> carry = allocate(P2.withOverflow(Overflow.CARRY_OVER), claims, List.of(SME), prior);

    assertThat(forfeit).extracting(Award::subjectId).containsExactly("C2024");
    assertThat(carry).extracting(Award::subjectId).containsExactly("C2023", "C2024");
    assertThat(carry.get(0).reasons()).contains("carried over from 2023 (overflow: carry-over)");
  }
}
