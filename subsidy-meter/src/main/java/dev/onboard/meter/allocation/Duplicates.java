package dev.onboard.meter.allocation;

import dev.onboard.meter.money.Money;
import dev.onboard.meter.money.Rounding;
import dev.onboard.meter.policy.Duplicate;
import dev.onboard.meter.policy.Policy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * 就高不重复 (穗埔府规〔2019〕9号 第十条, 柳州 (十三); POLICIES.md › CROSS-CUTTING): what an award becomes once what
 * the same subject received under other policies is counted. Shared by the device and claim
 * allocators. Stateless.
 */
final class Duplicates {
  private Duplicates() {}

  /**
   * The settled award.
   *
   * @param amount the award after the rule, ≥ 0
   * @param covered nothing is left to pay because of what was received elsewhere
   * @param reason the rule with its numbers, or {@code null} when nothing was received elsewhere
   */
  record Settled(Money amount, boolean covered, String reason) {}

  /**
   * Settles an award of {@code ownFen} (exact fen, rounded here once, half-up) against {@code
   * elsewhere}.
   *
   * @param claimed the cost or claimed amount a combined ceiling is a ratio of
   */
  static Settled settle(
      Policy policy, BigDecimal ownFen, Money claimed, Map<String, Money> elsewhere) {
    Money own = Money.ofFen(Rounding.HALF_UP_TO_FEN.toFen(ownFen));
    if (elsewhere.isEmpty()) {
      return new Settled(own, false, null);
    }
    Money received = elsewhere.values().stream().reduce(Money.ZERO, Money::plus);
    String where = describe(elsewhere);
    if (policy.combinedCeiling() != null) {
      BigDecimal ceiling =
          BigDecimal.valueOf(claimed.fen()).multiply(policy.combinedCeiling().value());
      BigDecimal room = ceiling.subtract(BigDecimal.valueOf(received.fen())).max(BigDecimal.ZERO);
      Money amount = Money.ofFen(Rounding.HALF_UP_TO_FEN.toFen(ownFen.min(room)));
      String text =
          "combined ceiling "
              + policy.combinedCeiling().toPercentString()
              + " of "
              + claimed
              + " = "
              + Money.ofFen(Rounding.HALF_UP_TO_FEN.toFen(ceiling))
              + " for "
              + where
              + " plus this award";
      if (amount.isZero()) {
        return new Settled(
            amount, true, "covered elsewhere: " + text + " leaves 0.00 (上级补助资金和市级补助资金的总额)");
      }
      return new Settled(
          amount,
          false,
          text
              + (amount.compareTo(own) < 0
                  ? ": " + own + " cut to " + amount
                  : ": " + own + " fits"));
    }
    if (policy.duplicate() == Duplicate.EXCLUSIVE) {
      return new Settled(
          Money.ZERO,
          true,
          "covered elsewhere: received " + where + " (duplicate: exclusive, 就高不重复)");
    }
    Money topUp = own.minus(received).max(Money.ZERO);
    if (topUp.isZero()) {
      return new Settled(
          topUp, true, "covered elsewhere: received " + where + " ≥ " + own + " (就高不重复)");
    }
    return new Settled(
        topUp, false, "top-up = " + own + " − " + where + " = " + topUp + " (就高不重复)");
  }

  /** "1000.00 under foshan-voucher + 800.00 under guangdong-voucher", by policy name. */
  static String describe(Map<String, Money> elsewhere) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(elsewhere).forEach((p, m) -> parts.add(m + " under " + p));
    return String.join(" + ", parts);
  }
}
