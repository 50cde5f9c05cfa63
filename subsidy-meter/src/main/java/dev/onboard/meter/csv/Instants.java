package dev.onboard.meter.csv;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parses ISO-8601 instants quickly: {@code YYYY-MM-DDTHH:MM:SSZ} by hand (the form of generated
 * evidence, parsed millions of times), anything else with an offset through {@link
 * DateTimeFormatter#ISO_OFFSET_DATE_TIME}. Thread-safe (stateless).
 */
final class Instants {
  private Instants() {}

  static Instant parse(String s) {
    if (s.length() == 20) {
      long seconds = AsciiFields.simpleEpochSeconds(s.getBytes(StandardCharsets.ISO_8859_1), 0);
      if (seconds == AsciiFields.BAD_DATE) {
        throw new DateTimeParseException("no such date", s, 0);
      }
      if (seconds != AsciiFields.NOT_SIMPLE) {
        return Instant.ofEpochSecond(seconds);
      }
    }
    return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
  }

  /** An ISO-8601 date {@code YYYY-MM-DD}, by hand for the common form. */
  static LocalDate parseDate(String s) {
    if (s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-' && digits(s)) {
      try {
        return LocalDate.of(num(s, 0, 4), num(s, 5, 2), num(s, 8, 2));
      } catch (java.time.DateTimeException e) {
        throw new DateTimeParseException(e.getMessage(), s, 0);
      }
    }
    return LocalDate.parse(s);
  }

  private static boolean digits(String s) {
    for (int i = 0; i < 10; i++) {
      char c = s.charAt(i);
      if (i != 4 && i != 7 && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  private static int num(String s, int from, int digits) {
    int n = 0;
    for (int i = from; i < from + digits; i++) {
      n = n * 10 + (s.charAt(i) - '0');
    }
    return n;
  }
}
