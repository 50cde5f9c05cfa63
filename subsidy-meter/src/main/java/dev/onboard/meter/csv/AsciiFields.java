package dev.onboard.meter.csv;

import java.nio.charset.StandardCharsets;

/**
 * Parses unquoted ASCII fields straight from a read buffer, with the results {@link Fields} gives
 * for the same text (surrounding whitespace stripped as {@link String#strip()} does). The common
 * spellings are parsed by hand; any other text goes through the same code as {@link Fields}. A
 * value that {@link Fields} would refuse throws {@link Unhandled}, which carries no message: the
 * caller reads the file again with {@link CsvReader} and {@link Fields} to report it exactly.
 *
 * <p>Thread-safe (stateless). Callers pass only bytes 0x00–0x7F.
 */
public final class AsciiFields {
  private static final long DAYS_0000_TO_1970 = 719_528L;

  private AsciiFields() {}

  /** A field this class does not accept; the slow path reports why. No stack trace. */
  public static final class Unhandled extends Exception {
    private static final long serialVersionUID = 1L;

    /** The one instance (no state). */
    public static final Unhandled INSTANCE = new Unhandled();

    private Unhandled() {
      super(null, null, false, false);
    }
  }

  /** Whether {@link String#strip()} strips this ASCII character. */
  private static boolean space(byte c) {
    return c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
  }

  /** The start of {@code b[from, to)} without leading whitespace. */
  public static int stripStart(byte[] b, int from, int to) {
    while (from < to && space(b[from])) {
      from++;
    }
    return from;
  }

  /** The end of {@code b[from, to)} without trailing whitespace. */
  public static int stripEnd(byte[] b, int from, int to) {
    while (to > from && space(b[to - 1])) {
      to--;
    }
    return to;
  }

  private static String text(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /** As {@link Fields#count}: a whole number ≥ 0. */
  public static long count(byte[] b, int from, int to) throws Unhandled {
    from = stripStart(b, from, to);
    to = stripEnd(b, from, to);
    int n = to - from;
    if (n > 0 && n <= 18) {
      long v = 0;
      int i = from;
      for (; i < to; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          break;
        }
        v = v * 10 + d;
      }
      if (i == to) {
        return v;
      }
    }
    long v;
    try {
      v = Long.parseLong(text(b, from, to));
    } catch (NumberFormatException e) {
      throw Unhandled.INSTANCE;
    }
    if (v < 0) {
      throw Unhandled.INSTANCE;
    }
    return v;
  }

  /** As {@link Fields#bool}: {@code true} or {@code false} (any case). */
  public static boolean bool(byte[] b, int from, int to) throws Unhandled {
    from = stripStart(b, from, to);
    to = stripEnd(b, from, to);
    int n = to - from;
    if (n == 4
        && b[from] == 't'
        && b[from + 1] == 'r'
        && b[from + 2] == 'u'
        && b[from + 3] == 'e') {
      return true;
    }
    if (n == 5
        && b[from] == 'f'
        && b[from + 1] == 'a'
        && b[from + 2] == 'l'
        && b[from + 3] == 's'
        && b[from + 4] == 'e') {
      return false;
    }
    String v = text(b, from, to);
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw Unhandled.INSTANCE;
  }

  /**
   * As {@link Fields#instant}, in epoch milliseconds: {@code YYYY-MM-DDTHH:MM:SSZ} by hand,
   * anything else through {@link Instants#parse}.
   */
  public static long instantMillis(byte[] b, int from, int to) throws Unhandled {
    from = stripStart(b, from, to);
    to = stripEnd(b, from, to);
    if (to - from == 20) {
      long seconds = simpleEpochSeconds(b, from);
      if (seconds == BAD_DATE) {
        throw Unhandled.INSTANCE;
      }
      if (seconds != NOT_SIMPLE) {
        return seconds * 1000;
      }
    }
    try {
      return Instants.parse(text(b, from, to)).toEpochMilli();
    } catch (RuntimeException e) {
      throw Unhandled.INSTANCE;
    }
  }

  /** {@link #simpleEpochSeconds}: not of the simple form (other parsers may accept it). */
  static final long NOT_SIMPLE = Long.MIN_VALUE;

  /** {@link #simpleEpochSeconds}: of the simple form, but no such day (e.g. February 30). */
  static final long BAD_DATE = Long.MIN_VALUE + 1;

  /**
   * The epoch second of {@code YYYY-MM-DDTHH:MM:SSZ} in the 20 bytes from {@code from}; {@link
   * #NOT_SIMPLE} for any other text or a time outside 00:00:00–23:59:59, {@link #BAD_DATE} for a
   * day that {@code LocalDate.of} refuses.
   */
  static long simpleEpochSeconds(byte[] b, int from) {
    if (b[from + 19] != 'Z' || !simple(b, from)) {
      return NOT_SIMPLE;
    }
    int hour = num(b, from + 11, 2);
    int minute = num(b, from + 14, 2);
    int second = num(b, from + 17, 2);
    if (hour >= 24 || minute >= 60 || second >= 60) {
      return NOT_SIMPLE;
    }
    int year = num(b, from, 4);
    int month = num(b, from + 5, 2);
    int day = num(b, from + 8, 2);
    if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)) {
      return BAD_DATE;
    }
    return epochDay(year, month, day) * 86_400 + hour * 3600L + minute * 60L + second;
  }

  /** {@code DDDD-DD-DDTDD:DD:DD} in the 19 bytes from {@code from}. */
  private static boolean simple(byte[] b, int from) {
    return b[from + 4] == '-'
        && b[from + 7] == '-'
        && b[from + 10] == 'T'
        && b[from + 13] == ':'
        && b[from + 16] == ':'
        && digits(b, from, 4)
        && digits(b, from + 5, 2)
        && digits(b, from + 8, 2)
        && digits(b, from + 11, 2)
        && digits(b, from + 14, 2)
        && digits(b, from + 17, 2);
  }

  private static boolean digits(byte[] b, int from, int n) {
    for (int i = from; i < from + n; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return false;
      }
    }
    return true;
  }

  private static int num(byte[] b, int from, int digits) {
    int n = 0;
    for (int i = from; i < from + digits; i++) {
      n = n * 10 + (b[i] - '0');
    }
    return n;
  }

  private static boolean leap(long year) {
    return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
  }

  private static int lengthOfMonth(int year, int month) {
    return switch (month) {
      case 2 -> leap(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** As {@code LocalDate.of(year, month, day).toEpochDay()}, for years 0000–9999. */
  static long epochDay(int year, int month, int day) {
    long y = year;
    long total = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
    total += (367L * month - 362) / 12;
    total += day - 1;
    if (month > 2) {
      total--;
      if (!leap(y)) {
        total--;
      }
    }
    return total - DAYS_0000_TO_1970;
  }
}
