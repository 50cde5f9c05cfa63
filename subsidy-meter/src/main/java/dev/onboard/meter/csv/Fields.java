package dev.onboard.meter.csv;

import dev.onboard.meter.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Parses one field of the current record of a {@link CsvReader}, with messages naming the file,
 * line, column and value. Not thread-safe (bound to a reader).
 */
public final class Fields {
  private final CsvReader csv;

  /** Field parsers for {@code csv}. */
  public Fields(CsvReader csv) {
    this.csv = csv;
  }

  /** A problem with column {@code col} of the current record. */
  public InputException error(int col, String reason) {
    return new InputException(csv.file(), csv.line(), csv.columnName(col) + " " + reason);
  }

  /** A problem with the current record. */
  public InputException error(String reason) {
    return new InputException(csv.file(), csv.line(), reason);
  }

  /** A non-empty text. */
  public String text(int col) throws InputException {
    String v = csv.get(col).strip();
    if (v.isEmpty()) {
      throw error(col, "is empty");
    }
    return v;
  }

  /** A text that may be empty. */
  public String optionalText(int col) throws InputException {
    return csv.get(col).strip();
  }

  /** {@code true} or {@code false} (any case). */
  public boolean bool(int col) throws InputException {
    String v = csv.get(col).strip();
    if (v.equals("true")) { // the common spelling first: this runs 20 million times a benchmark
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw error(col, quoted(v) + " is not true or false");
  }

  /** A whole number ≥ 0. */
  public long count(int col) throws InputException {
    String v = csv.get(col).strip();
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw error(col, quoted(v) + " is not a whole number");
    }
    if (n < 0) {
      throw error(col, quoted(v) + " is negative");
    }
    return n;
  }

  /** A year such as 2024. */
  public int year(int col) throws InputException {
    String v = csv.get(col).strip();
    if (!v.matches("[0-9]{4}")) {
      throw error(col, quoted(v) + " is not a year (expected YYYY)");
    }
    return Integer.parseInt(v);
  }

  /** An ISO-8601 date, e.g. 2024-03-01. */
  public LocalDate date(int col) throws InputException {
    String v = csv.get(col).strip();
    try {
      return Instants.parseDate(v);
    } catch (DateTimeParseException e) {
      throw error(col, quoted(v) + " is not a date (expected YYYY-MM-DD)");
    }
  }

  /** An ISO-8601 instant, e.g. 2024-03-01T00:00:00Z or 2024-03-01T08:00:00+08:00. */
  public Instant instant(int col) throws InputException {
    String v = csv.get(col).strip();
    try {
      return Instants.parse(v);
    } catch (DateTimeParseException e) {
      throw error(
          col, quoted(v) + " is not an ISO-8601 instant (expected e.g. 2024-03-01T00:00:00Z)");
    }
  }

  /** A non-negative amount in yuan, or {@code null} when empty and {@code emptyAllowed}. */
  public Money yuan(int col, boolean emptyAllowed) throws InputException {
    String v = csv.get(col).strip();
    if (v.isEmpty() && emptyAllowed) {
      return null;
    }
    Money m;
    try {
      m = Money.parseYuan(v);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw error(col, quoted(v) + " is not an amount in yuan (expected e.g. 1999.50)");
    }
    if (m.isNegative()) {
      throw error(col, quoted(v) + " is negative");
    }
    return m;
  }

  private static String quoted(String v) {
    return "\"" + v + "\"";
  }
}
