package dev.onboard.gateway.uplink;

/**
 * Builds one InfluxDB line-protocol line: {@code measurement,tag=v,... field=v,... timestamp}.
 * Escaping follows the InfluxDB 1.x line protocol reference: commas and spaces in measurements;
 * commas, equals signs and spaces in tag keys, tag values and field keys; double quotes and
 * backslashes in string field values. Tags must be added in key order (InfluxDB sorts them anyway;
 * sorted input is cheaper for it) and never with an empty value, which InfluxDB rejects.
 *
 * <p>Timestamps are epoch milliseconds: the uplink writes with {@code precision=ms}.
 *
 * <p>A line whose measurement and tags repeat (one series) can skip their escaping: build them
 * once, keep {@link #seriesKey()}, and start each later line of that series with {@link #series}.
 *
 * <p>Not thread-safe; build one line per instance or {@link #reset} between lines.
 */
public final class LineProtocol {

  private final StringBuilder b = new StringBuilder(160);
  private boolean firstField;

  public LineProtocol measurement(String name) {
    b.setLength(0);
    escape(name, false, true);
    firstField = true;
    return this;
  }

  /**
   * Starts a line with a series key from {@link #seriesKey()}: the measurement and tags, already
   * escaped, written as they are.
   */
  public LineProtocol series(String seriesKey) {
    b.setLength(0);
    b.append(seriesKey);
    firstField = true;
    return this;
  }

  /**
   * The measurement and tags written so far, escaped: the series key to start later lines of the
   * same series with {@link #series}. Only before the first field.
   */
  public String seriesKey() {
    if (!firstField) {
      throw new IllegalStateException("a series key ends before the first field");
    }
    return b.toString();
  }

  /** Adds a tag; an empty or null value is left out. */
  public LineProtocol tag(String key, String value) {
    if (value == null || value.isEmpty()) {
      return this;
    }
    b.append(',');
    escape(key, true, true);
    b.append('=');
    escape(value, true, true);
    return this;
  }

  public LineProtocol field(String key, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("InfluxDB cannot store " + value + " in field " + key);
    }
    fieldKey(key);
    b.append(value);
    return this;
  }

  public LineProtocol field(String key, long value) {
    fieldKey(key);
    b.append(value).append('i');
    return this;
  }

  public LineProtocol field(String key, boolean value) {
    fieldKey(key);
    b.append(value);
    return this;
  }

  public LineProtocol field(String key, String value) {
    fieldKey(key);
    b.append('"');
    int i = 0;
    // Most values need no escaping: copy the clean prefix at once, then go char by char.
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c == '\n') {
        break;
      }
      i++;
    }
    if (i == value.length()) {
      b.append(value); // a whole String is copied as an array, not char by char
    } else {
      b.append(value, 0, i);
    }
    for (; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      if (c == '\n') {
        // A newline ends a line of line protocol even inside quotes in InfluxDB 1.x.
        b.append("\\n");
        continue;
      }
      b.append(c);
    }
    b.append('"');
    return this;
  }

  /** Ends the line with its timestamp in epoch milliseconds and returns it. */
  public String at(long epochMillis) {
    if (firstField) {
      throw new IllegalStateException("a point needs at least one field");
    }
    return b.append(' ').append(epochMillis).toString();
  }

  public void reset() {
    b.setLength(0);
  }

  private void fieldKey(String key) {
    b.append(firstField ? ' ' : ',');
    firstField = false;
    escape(key, true, true);
    b.append('=');
  }

  private void escape(String s, boolean equalsToo, boolean spaceAndComma) {
    int i = 0;
    // Names rarely need escaping: copy the clean prefix at once, then go char by char.
    while (i < s.length()) {
      char c = s.charAt(i);
      if ((spaceAndComma && (c == ',' || c == ' ')) || (equalsToo && c == '=') || c == '\n') {
        break;
      }
      i++;
    }
    if (i == s.length()) {
      b.append(s); // a whole String is copied as an array, not char by char
      return;
    }
    b.append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((spaceAndComma && (c == ',' || c == ' ')) || (equalsToo && c == '=')) {
        b.append('\\');
      }
      if (c == '\n') {
        b.append("\\n");
        continue;
      }
      b.append(c);
    }
  }
}
