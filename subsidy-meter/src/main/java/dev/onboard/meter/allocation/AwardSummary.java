package dev.onboard.meter.allocation;

import dev.onboard.meter.money.Money;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Totals of a list of awards: rows per status, yuan per enterprise, grand total.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rowsByStatus number of rows per status (every status, zeros included)
 * @param awardedByEnterprise the sum of awards per enterprise, sorted by enterprise id
 * @param total the sum of all awards
 */
public record AwardSummary(
    Map<AwardStatus, Long> rowsByStatus, Map<String, Money> awardedByEnterprise, Money total) {

  /** Copies the maps, keeping their order. */
  public AwardSummary {
    rowsByStatus = Collections.unmodifiableMap(new EnumMap<>(rowsByStatus));
    awardedByEnterprise = Collections.unmodifiableMap(new TreeMap<>(awardedByEnterprise));
  }

  /** Adds up {@code awards} (overflow-checked). */
  public static AwardSummary of(List<Award> awards) {
    Map<AwardStatus, Long> rows = new EnumMap<>(AwardStatus.class);
    for (AwardStatus s : AwardStatus.values()) {
      rows.put(s, 0L);
    }
    Map<String, Money> byEnterprise = new TreeMap<>();
    Money total = Money.ZERO;
    for (Award a : awards) {
      rows.merge(a.status(), 1L, Long::sum);
      byEnterprise.merge(a.enterpriseId(), a.amount(), Money::plus);
      total = total.plus(a.amount());
    }
    return new AwardSummary(rows, byEnterprise, total);
  }
}
