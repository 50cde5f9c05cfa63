package dev.onboard.meter.allocation;

import dev.onboard.meter.money.Money;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;

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
    if (awards instanceof DeviceAwards d) {
      // From the numbers the allocation kept, without making each row's Award.
      return sum(d.size(), d::status, d::paidFen, d::enterpriseId);
    }
    List<Award> list = awards instanceof RandomAccess ? awards : new ArrayList<>(awards);
    return sum(
        list.size(),
        k -> list.get(k).status(),
        k -> list.get(k).amount().fen(),
        k -> list.get(k).enterpriseId());
  }

  private static AwardSummary sum(
      int size,
      IntFunction<AwardStatus> statusOf,
      IntToLongFunction fenOf,
      IntFunction<String> enterpriseOf) {
    long[] rows = new long[AwardStatus.values().length];
    Map<String, Money> byEnterprise = new TreeMap<>();
    long total = 0;
    // awards.csv lists an enterprise's rows together: add up each run, then one map update per
    // run, not per row (any order still adds up the same)
    String enterprise = null;
    long run = 0;
    for (int k = 0; k < size; k++) {
      rows[statusOf.apply(k).ordinal()]++;
      long fen = fenOf.applyAsLong(k);
      total = Math.addExact(total, fen);
      String e = enterpriseOf.apply(k);
      if (!e.equals(enterprise)) {
        if (enterprise != null) {
          byEnterprise.merge(enterprise, Money.ofFen(run), Money::plus);
        }
        enterprise = e;
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
