package dev.onboard.meter.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.meter.money.Money;
import dev.onboard.meter.money.Rate;
import java.io.StringReader;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Policy files: the same model as the built-ins, validated on load (issue 3 › Library). */
class PolicyFileTest {

  private static Policy load(String yaml) throws PolicyFileException {
    return PolicyFile.load(new StringReader(yaml), "my-policy.yaml");
  }

  private static void rejects(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(PolicyFileException.class)
        .hasMessage(message);
  }

  @Test
  void a_policy_file_can_write_p1_from_scratch_and_equal_the_built_in() throws Exception {
    Policy p =
        load(
            """
            name: huangpu-device-2019
            title: Huangpu device onboarding (设备上平台领跑者)
            source: 穗埔府规〔2019〕9号 第四条
            kind: per-device
            per_device_amount: 2000.00
            caps:
              per_enterprise_year: 100000.00
            eligibility:
              - {attribute: independent_legal_entity, equals: "true", when_missing: "false", source: 穗埔府规〔2019〕9号 第二条}
              - attribute: commitment_broken
                equals: "false"
                when_missing: "false"
                source: 穗埔府规〔2019〕9号 第二条
                clawback: true
            overflow: forfeit
            duplicate: top-up
            verification:
              window_days: 30
              online_ratio: 60%
              max_clock_skew_ms: 5000
              min_value_changes: 1
              require_arrived_central: true
              time_zone: Asia/Shanghai
            """);

    assertThat(p).isEqualTo(BuiltinPolicies.HUANGPU_DEVICE_2019);
  }

  @Test
  void a_policy_file_overrides_the_defaults_of_a_built_in_it_names_as_base() throws Exception {
    Policy p =
        load(
            """
            base: huangpu-device-2019
            name: huangpu-device-carry-over
            overflow: carry-over
            duplicate: exclusive
            verification: {window_days: 14, online_ratio: 0.75, max_clock_skew_ms: 2000, time_zone: UTC}
            """);

    assertThat(p.name()).isEqualTo("huangpu-device-carry-over");
    assertThat(p.overflow()).isEqualTo(Overflow.CARRY_OVER);
    assertThat(p.duplicate()).isEqualTo(Duplicate.EXCLUSIVE);
    assertThat(p.verification())
        .isEqualTo(
            new VerificationParams(
                Duration.ofDays(14), Rate.parse("0.75"), 2000, 1, true, ZoneId.of("UTC")));
    assertThat(p.perDeviceAmount()).isEqualTo(Money.ofYuan(2000));
    assertThat(p.eligibility()).isEqualTo(BuiltinPolicies.HUANGPU_DEVICE_2019.eligibility());
  }

  @Test
  void a_policy_file_expresses_a_year_dependent_ratio_caps_kinds_and_eligibility()
      throws Exception {
    Policy p =
        load(
            """
            name: cloud-voucher-2025
            kind: cost-ratio
            rates_by_service_year: [70%, 40%]
            kinds: [cloud_software, device_access]
            caps: {per_enterprise_year: 300000, per_provider: 1000000.50, programme_budget: none}
            combined_ceiling: 50%
            eligibility:
              - {attribute: above_scale, equals: "true"}
            """);

    assertThat(p.kind()).isEqualTo(Policy.Kind.COST_RATIO);
    assertThat(p.rates())
        .isEqualTo(RateSchedule.perServiceYear(Rate.percent(70), Rate.percent(40)));
    assertThat(p.rates().rateFor(3)).isEqualTo(Rate.percent(0));
    assertThat(p.eligibleKinds()).containsExactlyInAnyOrder("cloud_software", "device_access");
    assertThat(p.perEnterpriseYearCap()).isEqualTo(Money.ofYuan(300_000));
    assertThat(p.perProviderCap()).isEqualTo(Money.parseYuan("1000000.50"));
    assertThat(p.programmeBudget()).isNull();
    assertThat(p.combinedCeiling()).isEqualTo(Rate.percent(50));
    assertThat(p.eligibility())
        .containsExactly(
            new EligibilityRule("above_scale", "true", null, "policy file my-policy.yaml"));
  }

  @Test
  void a_policy_file_sets_the_p7_catalogue_rate_the_seed_does_not_give() throws Exception {
    Policy p = load("base: guangdong-voucher\nrate: 30%\n");

    assertThat(p.rates()).isEqualTo(RateSchedule.fixed(Rate.percent(30)));
    assertThat(p.eligibleKinds()).isEqualTo(BuiltinPolicies.GUANGDONG_VOUCHER.eligibleKinds());
  }

  @Test
  void a_policy_file_writes_a_municipal_platform_activity_policy() throws Exception {
    Policy p =
        load(
            """
            base: zhongshan-active-enterprise
            name: zhongshan-municipal-platform
            activity: {ceiling: 5000000}
            """);

    assertThat(p.activity())
        .isEqualTo(
            new ActivityParams(
                Rate.percent(60), 100, Money.ofYuan(10_000), Money.ofYuan(5_000_000)));
  }

  @Test
  void an_unknown_key_names_the_file_the_line_the_key_and_the_keys_allowed_there() {
    rejects(
        "base: huangpu-device-2019\ncaps:\n  per_enterprise: 5\n",
        "my-policy.yaml, line 3: unknown key caps.per_enterprise; the keys here are per_enterprise_year, per_provider, programme_budget");
  }

  @Test
  void a_misspelt_top_level_key_is_rejected_rather_than_ignored() {
    rejects(
        "base: huangpu-device-2019\noverflw: carry-over\n",
        "my-policy.yaml, line 2: unknown key overflw; the keys here are base, name, title, source, kind, per_device_amount, rate, rates_by_service_year, kinds, caps, combined_ceiling, eligibility, priority, overflow, duplicate, verification, activity");
  }

  @Test
  void a_bad_choice_names_the_key_and_the_values_allowed() {
    rejects(
        "base: huangpu-device-2019\noverflow: later\n",
        "my-policy.yaml, line 2: overflow: \"later\" is not valid; use carry-over or forfeit");
  }

  @Test
  void a_bad_amount_names_the_key_and_an_example() {
    rejects(
        "base: huangpu-device-2019\nper_device_amount: 2,000\n",
        "my-policy.yaml, line 2: per_device_amount: \"2,000\" is not an amount in yuan; use e.g. 2000.00");
  }

  @Test
  void a_bad_rate_names_the_key_and_an_example() {
    rejects(
        "base: foshan-voucher\nrate: half\n",
        "my-policy.yaml, line 2: rate: \"half\" is not a rate; use e.g. 50% or 0.5");
  }

  @Test
  void a_bad_time_zone_names_the_key() {
    rejects(
        "base: huangpu-device-2019\nverification:\n  time_zone: Mars/Olympus\n",
        "my-policy.yaml, line 3: verification.time_zone: \"Mars/Olympus\" is not a time zone; use e.g. Asia/Shanghai");
  }

  @Test
  void a_cost_ratio_policy_without_a_rate_says_which_key_to_add() {
    rejects(
        "name: x\nkind: cost-ratio\n",
        "my-policy.yaml, line 1: rate is required for a cost-ratio policy; add e.g. rate: 50% (or rates_by_service_year: [80%, 50%, 20%])");
  }

  @Test
  void a_file_without_name_and_kind_or_base_says_what_to_add() {
    rejects(
        "overflow: forfeit\n",
        "my-policy.yaml, line 1: name and kind are required (or base: a built-in to start from); add e.g. name: my-policy and kind: per-device");
  }

  @Test
  void an_unknown_base_lists_the_built_ins() {
    rejects(
        "base: shenzhen\n",
        "my-policy.yaml, line 1: base: \"shenzhen\" is not a built-in; use one of "
            + String.join(", ", BuiltinPolicies.names()));
  }

  @Test
  void a_key_given_twice_is_rejected() {
    rejects(
        "base: huangpu-device-2019\noverflow: forfeit\noverflow: carry-over\n",
        "my-policy.yaml, line 3: overflow is given twice; keep one");
  }

  @Test
  void broken_yaml_names_the_line() {
    rejects(
        "base: huangpu-device-2019\ncaps: {per_enterprise_year: 5\n",
        "my-policy.yaml, line 3: not valid YAML (expected ',' or '}', but got <stream end>)");
  }

  @Test
  void every_built_in_survives_a_base_only_policy_file_unchanged() throws Exception {
    for (String name : BuiltinPolicies.names()) {
      assertThat(load("base: " + name + "\n"))
          .isEqualTo(BuiltinPolicies.byName(name).orElseThrow());
    }
    assertThat(BuiltinPolicies.names()).hasSize(7);
    assertThat(List.copyOf(BuiltinPolicies.names()))
        .containsExactly(
            "huangpu-device-2019",
            "huangpu-sme-cloud-2019",
            "huangpu-evaluation-2019",
            "foshan-voucher",
            "liuzhou-cloud-voucher",
            "zhongshan-active-enterprise",
            "guangdong-voucher");
  }

  @Test
  void a_policy_file_gives_a_cost_ratio_policy_a_budget_and_a_priority() throws Exception {
    Policy p =
        load(
            """
            base: guangdong-voucher
            rate: 30%
            caps: {programme_budget: 1000000}
            priority: {attribute: key_enterprise, equals: "yes", source: 2025 catalogue}
            """);

    assertThat(p.priority())
        .isEqualTo(new EligibilityRule("key_enterprise", "yes", null, "2025 catalogue"));
    assertThat(p.programmeBudget()).isEqualTo(Money.ofYuan(1_000_000));
  }
}
