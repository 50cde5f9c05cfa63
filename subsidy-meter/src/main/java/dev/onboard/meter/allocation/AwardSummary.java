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
    long[] rows = new long[AwardStatus.values().length];
    Map<String, Money> byEnterprise = new TreeMap<>();
    long total = 0;
    // awards.csv lists an enterprise's rows together: add up each run, then one map update per
    // run, not per row (any order still adds up the same)
    String enterprise = null;
    long run = 0;
    for (Award a : awards) {
      rows[a.status().ordinal()]++;
      long fen = a.amount().fen();
      total = Math.addExact(total, fen);
      if (!a.enterpriseId().equals(enterprise)) {
        if (enterprise != null) {
          byEnterprise.merge(enterprise, Money.ofFen(run), Money::plus);
        }
        enterprise = a.enterpriseId();
        run = 0;
      }
      run = Math.addExact(run, fen);
    }
    if (enterprise != null) {
      byEnterprise.merge(enterprise, Money.ofFen(run), Money::plus);
    }
    Map<AwardStatus, Long> byStatus = new EnumMap<>(AwardStatus.class);
    for (AwardStatus s : AwardStatus.values()) {
      byStatus.put(s, rows[s.ordinal()]);
    }
    return new AwardSummary(byStatus, byEnterprise, Money.ofFen(total));
  }
}
