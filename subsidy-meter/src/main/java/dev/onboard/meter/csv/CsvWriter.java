package dev.onboard.meter.csv;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled; lines
 * end with LF. Not thread-safe.
 */
public final class CsvWriter {
  private final Writer out;

  /** A writer to {@code out} (the caller closes it). */
  public CsvWriter(Writer out) {
    this.out = out;
  }

  /** Writes one record. */
  public void row(List<String> fields) throws IOException {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(quote(fields.get(i)));
    }
    out.write('\n');
  }

  /** The field as it appears in a CSV record. */
  public static String quote(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
