package dev.onboard.meter.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.meter.inventory.ActivityRow;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.policy.ActivityParams;
import dev.onboard.meter.policy.BuiltinPolicies;
import dev.onboard.meter.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** P6 {@code zhongshan-active-enterprise}: 中山 四(五) and the ceiling of 四. */
class ZhongshanActiveEnterprisePolicyTest {
  private static final Policy P6 = BuiltinPolicies.ZHONGSHAN_ACTIVE_ENTERPRISE;

  private static List<ActivityRow> active(int n) {
    List<ActivityRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new ActivityRow(String.format("E%04d", i), 1000, 600));
    }
    return rows;
  }

  @Test
  void zhongshan_4_5_an_enterprise_using_the_platform_60_percent_of_its_connected_time_is_active() {
    PlatformAward a =
        ActivityMeter.meter(
            P6,
            2024,
            List.of(
                new ActivityRow("A", 1000, 600),
                new ActivityRow("B", 1000, 599),
                new ActivityRow("C", 0, 0)));

    assertThat(a.enterprises())
        .extracting(
            PlatformAward.EnterpriseActivity::enterpriseId,
            PlatformAward.EnterpriseActivity::active)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("A", true),
            org.assertj.core.groups.Tuple.tuple("B", false),
            org.assertj.core.groups.Tuple.tuple("C", false));
    assertThat(a.enterprises().get(1).reason())
        .isEqualTo(
            "used 0.5990 of connected time < 0.6: not active (中山市加强工业互联网平台和数字赋能平台引进建设的若干政策措施（征求意见稿） 四(五))");
    assertThat(a.enterprises().get(2).reason()).isEqualTo("never connected: not active");
  }

  @Test
  void zhongshan_4_5_a_platform_with_100_active_enterprises_or_fewer_earns_nothing() {
    PlatformAward a = ActivityMeter.meter(P6, 2024, active(100));

    assertThat(a.activeCount()).isEqualTo(100);
    assertThat(a.amount()).isEqualTo(Money.ZERO);
  }

  @Test
  void zhongshan_4_5_each_active_enterprise_above_100_earns_the_platform_10000_yuan() {
    PlatformAward a = ActivityMeter.meter(P6, 2024, active(103));

    assertThat(a.amount()).isEqualTo(Money.ofYuan(30_000));
    assertThat(a.reasons())
        .containsExactly(
            "award = 10000.00 × max(0, 103 active − 100) = 30000.00 (中山市加强工业互联网平台和数字赋能平台引进建设的若干政策措施（征求意见稿） 四(五))");
  }

  @Test
  void zhongshan_4_a_platforms_yearly_award_stays_within_its_ceiling() {
    Policy.Builder municipal = P6.toBuilder();
    municipal.activity =
        new ActivityParams(
            P6.activity().activeRatio(), 100, Money.ofYuan(10_000), Money.ofYuan(5_000_000));

    PlatformAward benchmark = ActivityMeter.meter(P6, 2024, active(2_000));
    PlatformAward city = ActivityMeter.meter(municipal.build(), 2024, active(2_000));

    assertThat(benchmark.amount()).isEqualTo(Money.ofYuan(15_000_000));
    assertThat(city.amount()).isEqualTo(Money.ofYuan(5_000_000));
    assertThat(city.reasons())
        .last()
        .asString()
        .startsWith("capped at the platform's yearly ceiling 5000000.00");
  }
}
