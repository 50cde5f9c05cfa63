package dev.onboard.meter.policy;

import dev.onboard.meter.money.Money;
import dev.onboard.meter.money.Rate;
import java.util.Objects;

/**
 * Parameters of a platform-activity policy (P6, 中山 四(五)): an enterprise is active when it uses the
 * platform at least {@code activeRatio} of the time it is connected; the platform earns {@code
 * perExtraEnterprise} for each active enterprise above {@code baseline}, up to {@code ceiling}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param activeRatio minimum used ÷ connected time (0.60)
 * @param baseline active enterprises that earn nothing (100)
 * @param perExtraEnterprise award per active enterprise above the baseline (10,000.00 yuan)
 * @param ceiling the platform's yearly ceiling (15,000,000.00 yuan for a benchmark platform), or
 *     {@code null} for none
 */
public record ActivityParams(
    Rate activeRatio, long baseline, Money perExtraEnterprise, Money ceiling) {

  /** Checks the required fields. */
  public ActivityParams {
    Objects.requireNonNull(activeRatio, "activeRatio");
    Objects.requireNonNull(perExtraEnterprise, "perExtraEnterprise");
  }
}
