package dev.onboard.meter.money;

import java.math.BigDecimal;

/**
 * An exact amount of Chinese yuan, held as a whole number of fen (分, 0.01 yuan) in a {@code long}.
 *
 * <p>Every operation is overflow-checked ({@link Math#addExact} etc.) and throws {@link
 * ArithmeticException} rather than wrap. Nothing here rounds; the only rounding in the meter is
 * {@link Rounding#HALF_UP_TO_FEN}, applied once when a {@link Rate} multiplies an amount.
 *
 * <p>Immutable and thread-safe.
 *
 * @param fen the amount in fen; may be negative (differences), though awards never are
 */
public record Money(long fen) implements Comparable<Money> {

  /** Zero yuan. */
  public static final Money ZERO = new Money(0);

  /** The amount of {@code fen} fen. */
  public static Money ofFen(long fen) {
    return new Money(fen);
  }

  /** Whole yuan, e.g. {@code ofYuan(2000)} is 2000.00 yuan. */
  public static Money ofYuan(long yuan) {
    return new Money(Math.multiplyExact(yuan, 100L));
  }

  /**
   * Parses a decimal yuan amount such as {@code 1999.50}, {@code 12} or {@code -3.5}: at most two
   * decimals, no exponent, no thousands separator.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public static Money parseYuan(String text) {
    // By hand rather than by regular expression: a million devices.csv rows parse one each.
    int n = text == null ? 0 : text.length();
    int i = n > 0 && text.charAt(0) == '-' ? 1 : 0;
    int digitsStart = i;
    long whole = 0;
    while (i < n && isDigit(text.charAt(i)) && i - digitsStart < 15) {
      whole = whole * 10 + (text.charAt(i++) - '0');
    }
    int wholeDigits = i - digitsStart;
    long cents = 0;
    int decimals = -1;
    if (i < n && text.charAt(i) == '.') {
      i++;
      decimals = 0;
      while (i < n && isDigit(text.charAt(i)) && decimals < 2) {
        cents = cents * 10 + (text.charAt(i++) - '0');
        decimals++;
      }
    }
    if (wholeDigits == 0 || i != n || decimals == 0) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an amount in yuan (expected e.g. 1999.50, at most 2 decimals)");
    }
    if (decimals == 1) {
      cents *= 10;
    }
    long fen = Math.addExact(Math.multiplyExact(whole, 100L), cents);
    return new Money(digitsStart == 1 ? -fen : fen);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** This plus {@code other}, overflow-checked. */
  public Money plus(Money other) {
    return new Money(Math.addExact(fen, other.fen));
  }

  /** This minus {@code other}, overflow-checked. */
  public Money minus(Money other) {
    return new Money(Math.subtractExact(fen, other.fen));
  }

  /** The smaller of this and {@code other}. */
  public Money min(Money other) {
    return fen <= other.fen ? this : other;
  }

  /** The larger of this and {@code other}. */
  public Money max(Money other) {
    return fen >= other.fen ? this : other;
  }

  /**
   * This amount times {@code rate}, rounded by {@link Rounding#HALF_UP_TO_FEN}: call it once, at
   * the end of an award (POLICIES.md › CROSS-CUTTING).
   */
  public Money times(Rate rate) {
    return new Money(Rounding.HALF_UP_TO_FEN.toFen(BigDecimal.valueOf(fen).multiply(rate.value())));
  }

  /** True when more than zero fen. */
  public boolean isPositive() {
    return fen > 0;
  }

  /** True when less than zero fen. */
  public boolean isNegative() {
    return fen < 0;
  }

  /** True when exactly zero. */
  public boolean isZero() {
    return fen == 0;
  }

  @Override
  public int compareTo(Money other) {
    return Long.compare(fen, other.fen);
  }

  /** Yuan with exactly two decimals, e.g. {@code 1999.50} or {@code -0.05}. */
  public String toYuanString() {
    if (fen == Long.MIN_VALUE) {
      return "--92233720368547758.0-8"; // as always printed (its absolute value is no long)
    }
    // Digits into one array, not five Strings concatenated: reasons print millions of amounts.
    long abs = Math.abs(fen);
    byte[] b = new byte[22];
    int i = b.length;
    b[--i] = (byte) ('0' + abs % 10);
    b[--i] = (byte) ('0' + abs / 10 % 10);
    b[--i] = '.';
    long yuan = abs / 100;
    do {
      b[--i] = (byte) ('0' + yuan % 10);
      yuan /= 10;
    } while (yuan > 0);
    if (fen < 0) {
      b[--i] = '-';
    }
    return new String(b, i, b.length - i, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return toYuanString();
  }
}
