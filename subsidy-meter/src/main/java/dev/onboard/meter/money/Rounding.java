package dev.onboard.meter.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one rounding rule of the meter.
 *
 * <p>POLICIES.md › CROSS-CUTTING: "A rate times an amount rounds half-up to the fen, once, at the
 * end of each award." Amounts are otherwise exact fen, so sums, differences and caps never round.
 *
 * <p>Thread-safe (stateless enum).
 */
public enum Rounding {
  /** Half-up (0.005 yuan → 0.01 yuan; −0.005 → −0.01) to a whole fen. */
  HALF_UP_TO_FEN;

  /**
   * Rounds an exact amount of fen to a whole fen.
   *
   * @throws ArithmeticException when the result does not fit a {@code long}
   */
  public long toFen(BigDecimal exactFen) {
    return exactFen.setScale(0, RoundingMode.HALF_UP).longValueExact();
  }
}
