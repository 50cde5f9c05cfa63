package dev.onboard.meter.policy;

import static dev.onboard.meter.policy.Sources.FOSHAN;
import static dev.onboard.meter.policy.Sources.GUANGDONG;
import static dev.onboard.meter.policy.Sources.HUANGPU;
import static dev.onboard.meter.policy.Sources.LIUZHOU;
import static dev.onboard.meter.policy.Sources.ZHONGSHAN;

import dev.onboard.meter.money.Money;
import dev.onboard.meter.money.Rate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The policies of POLICIES.md (P1–P7), by their built-in names. Thread-safe (immutable values). */
public final class BuiltinPolicies {

  /** P1: 穗埔府规〔2019〕9号 第四条 第一款, "每台（套）…最高2000元全额补贴，单个企业每年补助不超过10万元". */
  public static final Policy HUANGPU_DEVICE_2019 =
      new Policy(
          "huangpu-device-2019",
          "Huangpu device onboarding (设备上平台领跑者)",
          HUANGPU + " 第四条",
          Policy.Kind.PER_DEVICE,
          Money.ofYuan(2000),
          null,
          Set.of(),
          Money.ofYuan(100_000),
          null,
          null,
          List.of(
              new EligibilityRule("independent_legal_entity", "true", "false", HUANGPU + " 第二条"),
              new EligibilityRule("commitment_broken", "false", "false", HUANGPU + " 第二条", true)),
          Overflow.FORFEIT,
          Duplicate.TOP_UP,
          VerificationParams.DEFAULTS,
          null);

  /** P2: 穗埔府规〔2019〕9号 第四条 第二款: 50% of cloud software and tools, ≤ 20万 a year, SMEs. */
  public static final Policy HUANGPU_SME_CLOUD_2019 =
      costRatio(
          "huangpu-sme-cloud-2019",
          "Huangpu SME cloud software",
          HUANGPU + " 第四条",
          RateSchedule.fixed(Rate.percent(50)),
          Set.of("cloud_software", "supporting_tools"),
          Money.ofYuan(200_000),
          null,
          null,
          List.of(new EligibilityRule("sme", "true", "false", HUANGPU + " 第四条")));

  /** P3: 穗埔府规〔2019〕9号 第七条: 30% of evaluation / test services, ≤ 15万 a year. */
  public static final Policy HUANGPU_EVALUATION_2019 =
      costRatio(
          "huangpu-evaluation-2019",
          "Huangpu evaluation and test services",
          HUANGPU + " 第七条",
          RateSchedule.fixed(Rate.percent(30)),
          Set.of("evaluation"),
          Money.ofYuan(150_000),
          null,
          null,
          List.of());

  /** P4: Foshan 一: 50% of contract, ≤ 50万 per enterprise, ≤ 300万 per provider, 2000万 budget. */
  public static final Policy FOSHAN_VOUCHER =
      costRatio(
          "foshan-voucher",
          "Foshan 上云上平台 service voucher",
          FOSHAN + " 一",
          RateSchedule.fixed(Rate.percent(50)),
          Set.of(),
          Money.ofYuan(500_000),
          Money.ofYuan(3_000_000),
          Money.ofYuan(20_000_000),
          List.of());

  /** P5: Liuzhou (六): 80% / 50% / 20% by service year, ≤ 50万 a year; (十一), (十四). */
  public static final Policy LIUZHOU_CLOUD_VOUCHER =
      costRatio(
          "liuzhou-cloud-voucher",
          "Liuzhou cloud service voucher",
          LIUZHOU + " (六)",
          RateSchedule.perServiceYear(Rate.percent(80), Rate.percent(50), Rate.percent(20)),
          Set.of(),
          Money.ofYuan(500_000),
          null,
          null,
          List.of(
              new EligibilityRule("above_scale", "true", "false", LIUZHOU + " (十一)"),
              new EligibilityRule("security_refused", "false", "false", LIUZHOU + " (十四)")));

  /** P6: Zhongshan 四(五): 1万 per active enterprise above 100; ceiling 1500万 (四). */
  public static final Policy ZHONGSHAN_ACTIVE_ENTERPRISE =
      new Policy(
          "zhongshan-active-enterprise",
          "Zhongshan active-enterprise reward for platforms",
          ZHONGSHAN + " 四(五)",
          Policy.Kind.PLATFORM_ACTIVITY,
          null,
          null,
          Set.of(),
          null,
          null,
          null,
          List.of(),
          Overflow.FORFEIT,
          Duplicate.TOP_UP,
          VerificationParams.DEFAULTS,
          new ActivityParams(
              Rate.percent(60), 100, Money.ofYuan(10_000), Money.ofYuan(15_000_000)));

  /**
   * P7: 粤府〔2018〕23号 一(二): service, device-access and network-upgrade fees only. The rate comes from
   * a yearly catalogue the seed does not give, so the built-in pays 0% until a policy file sets
   * {@code rate}. "重点支持上年度主营业务收入1000万元以上的工业企业": enterprises whose {@code
   * prior_year_revenue_above_10m} is true are paid first when a cap (set by a policy file) binds.
   */
  public static final Policy GUANGDONG_VOUCHER = guangdongVoucher();

  private static Policy guangdongVoucher() {
    Policy.Builder b =
        costRatio(
            "guangdong-voucher",
            "Guangdong provincial 上云上平台 voucher",
            GUANGDONG + " 一(二)",
            RateSchedule.fixed(Rate.percent(0)),
            Set.of("cloud_software", "device_access", "network_upgrade"),
            null,
            null,
            null,
            List.of())
            .toBuilder();
    b.priority =
        new EligibilityRule(
            "prior_year_revenue_above_10m", "true", "false", GUANGDONG + " 一(二) 重点支持");
    return b.build();
  }

  private static final Map<String, Policy> BY_NAME = new LinkedHashMap<>();

  static {
    for (Policy p :
        List.of(
            HUANGPU_DEVICE_2019,
            HUANGPU_SME_CLOUD_2019,
            HUANGPU_EVALUATION_2019,
            FOSHAN_VOUCHER,
            LIUZHOU_CLOUD_VOUCHER,
            ZHONGSHAN_ACTIVE_ENTERPRISE,
            GUANGDONG_VOUCHER)) {
      BY_NAME.put(p.name(), p);
    }
  }

  private BuiltinPolicies() {}

  /** The built-in policy called {@code name}, if any. */
  public static Optional<Policy> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The built-in names, in the order of POLICIES.md. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  private static Policy costRatio(
      String name,
      String title,
      String source,
      RateSchedule rates,
      Set<String> kinds,
      Money enterpriseCap,
      Money providerCap,
      Money budget,
      List<EligibilityRule> eligibility) {
    return new Policy(
        name,
        title,
        source,
        Policy.Kind.COST_RATIO,
        null,
        rates,
        kinds,
        enterpriseCap,
        providerCap,
        budget,
        eligibility,
        Overflow.FORFEIT,
        Duplicate.TOP_UP,
        VerificationParams.DEFAULTS,
        null);
  }
}
