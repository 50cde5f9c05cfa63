package dev.onboard.meter.allocation;

import dev.onboard.meter.money.Money;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What a platform earns under a platform-activity policy (P6, 中山 四(五)) in one year, and why.
 *
 * <p>Immutable and thread-safe. Amounts are yuan in fen.
 *
 * @param year the award year
 * @param enterprises every enterprise of activity.csv with its verdict, sorted by enterprise id
 * @param activeCount how many enterprises are active
 * @param amount the platform's award, ≥ 0
 * @param reasons the rule, the count above the baseline and the ceiling if it bound
 */
public record PlatformAward(
    int year,
    List<EnterpriseActivity> enterprises,
    long activeCount,
    Money amount,
    List<String> reasons) {

  /** Copies the lists. */
  public PlatformAward {
    enterprises = List.copyOf(enterprises);
    reasons = List.copyOf(reasons);
    Objects.requireNonNull(amount, "amount");
  }

  /** The reasons as one {@code ; }-separated line. */
  public String reasonsLine() {
    return String.join("; ", reasons);
  }

  /**
   * One enterprise's activity: active when used ÷ connected ≥ the policy's ratio.
   *
   * @param enterpriseId the enterprise
   * @param connectedSeconds seconds connected to the platform
   * @param usedSeconds seconds using it
   * @param usedRatio used ÷ connected, truncated to 4 decimals for display ({@code null} when never
   *     connected); the threshold test is exact
   * @param active whether the enterprise counts as active
   * @param reason the test with its numbers
   */
  public record EnterpriseActivity(
      String enterpriseId,
      long connectedSeconds,
      long usedSeconds,
      BigDecimal usedRatio,
      boolean active,
      String reason) {}
}
