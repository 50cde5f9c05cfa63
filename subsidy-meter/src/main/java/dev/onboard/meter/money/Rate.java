package dev.onboard.meter.money;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A non-negative ratio such as 50% (0.5) or an online-ratio threshold of 0.60, held exactly as a
 * {@link BigDecimal}; never a {@code double}.
 *
 * <p>Immutable and thread-safe. Equality ignores trailing zeros (0.5 equals 0.50).
 *
 * @param value the ratio, ≥ 0 (1 = 100%)
 */
public record Rate(BigDecimal value) {

  /** Validates the ratio. */
  public Rate {
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0) {
      throw new IllegalArgumentException("a rate cannot be negative: " + value.toPlainString());
    }
    value = value.stripTrailingZeros();
  }

  /** A rate of {@code percent} per cent, e.g. {@code percent(80)} is 0.8. */
  public static Rate percent(long percent) {
    return new Rate(BigDecimal.valueOf(percent).movePointLeft(2));
  }

  /** Parses a decimal ratio ({@code 0.6}) or a percentage ({@code 60%}). */
  public static Rate parse(String text) {
    String t = text.strip();
    try {
      if (t.endsWith("%")) {
        return new Rate(new BigDecimal(t.substring(0, t.length() - 1).strip()).movePointLeft(2));
      }
      return new Rate(new BigDecimal(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a rate (expected e.g. 0.6 or 60%)", e);
    }
  }

  /** True when {@code numerator / denominator ≥ this}, computed exactly. */
  public boolean isMetBy(long numerator, long denominator) {
    // value = unscaled ÷ 10^scale: numerator ≥ value × denominator ⇔ numerator × 10^scale ≥
    // unscaled × denominator, in longs when nothing overflows (a million devices ask this)
    int scale = value.scale();
    if (scale >= 0 && scale <= 18 && value.precision() <= 18) {
      long unscaled = value.unscaledValue().longValue();
      long left = multiplyOrMin(numerator, TEN_POWERS[scale]);
      long right = multiplyOrMin(unscaled, denominator);
      if (left != Long.MIN_VALUE && right != Long.MIN_VALUE) {
        return left >= right;
      }
    }
    return BigDecimal.valueOf(numerator).compareTo(value.multiply(BigDecimal.valueOf(denominator)))
        >= 0;
  }

  private static final long[] TEN_POWERS = new long[19];

  static {
    TEN_POWERS[0] = 1;
    for (int i = 1; i < TEN_POWERS.length; i++) {
      TEN_POWERS[i] = TEN_POWERS[i - 1] * 10;
    }
  }

  /** {@code a × b}, or {@code Long.MIN_VALUE} when it overflows. */
  private static long multiplyOrMin(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return (high == 0 && low >= 0) || (high == -1 && low < 0) ? low : Long.MIN_VALUE;
  }

  /** As a percentage, e.g. {@code 80%} or {@code 12.5%}. */
  public String toPercentString() {
    return value.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
  }

  @Override
  public String toString() {
    return value.toPlainString();
  }
}
