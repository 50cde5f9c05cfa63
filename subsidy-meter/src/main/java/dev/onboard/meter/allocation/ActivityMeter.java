package dev.onboard.meter.allocation;

import dev.onboard.meter.inventory.ActivityRow;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.policy.ActivityParams;
import dev.onboard.meter.policy.Policy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Meters a platform-activity policy (P6 {@code zhongshan-active-enterprise}, 中山 四(五)): an
 * enterprise is active when "使用平台时间占接入平台时间不低于60%"; the platform earns "每额外新增1家活跃企业…最高1万元" for each
 * active enterprise above 100, up to its yearly ceiling (四: "单个标杆平台每年奖励额度最高不超过1500万元").
 *
 * <p>A pure function; thread-safe (stateless).
 */
public final class ActivityMeter {

  private ActivityMeter() {}

  /**
   * Meters {@code policy} for {@code year} over one row per enterprise.
   *
   * @throws IllegalArgumentException when the policy is not a platform-activity policy, or an
   *     enterprise appears twice
   */
  public static PlatformAward meter(Policy policy, int year, List<ActivityRow> rows) {
    if (policy.kind() != Policy.Kind.PLATFORM_ACTIVITY) {
      throw new IllegalArgumentException(policy.name() + " is not a platform-activity policy");
    }
    ActivityParams p = policy.activity();
    List<ActivityRow> sorted =
        rows.stream().sorted(Comparator.comparing(ActivityRow::enterpriseId)).toList();
    List<PlatformAward.EnterpriseActivity> verdicts = new ArrayList<>(sorted.size());
    long active = 0;
    String previous = null;
    for (ActivityRow r : sorted) {
      if (r.enterpriseId().equals(previous)) {
        throw new IllegalArgumentException("enterprise " + previous + " appears twice");
      }
      previous = r.enterpriseId();
      boolean isActive =
          r.connectedSeconds() > 0
              && p.activeRatio().isMetBy(r.usedSeconds(), r.connectedSeconds());
      BigDecimal ratio =
          r.connectedSeconds() == 0
              ? null
              : BigDecimal.valueOf(r.usedSeconds())
                  .divide(BigDecimal.valueOf(r.connectedSeconds()), 4, RoundingMode.DOWN);
      String reason =
          ratio == null
              ? "never connected: not active"
              : "used "
                  + ratio.toPlainString()
                  + " of connected time"
                  + (isActive ? " ≥ " : " < ")
                  + p.activeRatio()
                  + (isActive ? ": active" : ": not active")
                  + " ("
                  + policy.source()
                  + ")";
      if (isActive) {
        active++;
      }
      verdicts.add(
          new PlatformAward.EnterpriseActivity(
              r.enterpriseId(), r.connectedSeconds(), r.usedSeconds(), ratio, isActive, reason));
    }
    long extra = Math.max(0, active - p.baseline());
    Money uncapped = Money.ofFen(Math.multiplyExact(p.perExtraEnterprise().fen(), extra));
    List<String> reasons = new ArrayList<>();
    reasons.add(
        "award = "
            + p.perExtraEnterprise()
            + " × max(0, "
            + active
            + " active − "
            + p.baseline()
            + ") = "
            + uncapped
            + " ("
            + policy.source()
            + ")");
    Money amount = uncapped;
    if (p.ceiling() != null && uncapped.compareTo(p.ceiling()) > 0) {
      amount = p.ceiling();
      reasons.add(
          "capped at the platform's yearly ceiling " + p.ceiling() + " (" + policy.source() + ")");
    }
    return new PlatformAward(year, verdicts, active, amount, reasons);
  }
}
