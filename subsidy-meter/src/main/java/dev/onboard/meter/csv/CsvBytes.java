package dev.onboard.meter.csv;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes CSV records as UTF-8 bytes into a buffer of its own, field by field: the same bytes as
 * {@link CsvWriter} on a UTF-8 writer (a field with a comma, quote or line break is quoted, quotes
 * doubled; lines end with LF; an unpaired surrogate becomes {@code ?}), without a String, a list or
 * an encoder per record. For files of a million rows. Not thread-safe; the caller closes the
 * stream.
 */
public final class CsvBytes {
  private final OutputStream out;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private boolean first = true;

  /** A writer to {@code out}; call {@link #flush()} at the end. */
  public CsvBytes(OutputStream out) {
    this.out = out;
  }

  private void room(int n) throws IOException {
    if (pos + n > buf.length) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  private void separator() throws IOException {
    if (!first) {
      room(1);
      buf[pos++] = ',';
    }
    first = false;
  }

  /** Ends the record. */
  public void endRecord() throws IOException {
    room(1);
    buf[pos++] = '\n';
    first = true;
  }

  /** A text field, quoted when it needs to be. */
  public void text(String s) throws IOException {
    separator();
    if (needsQuotes(s)) {
      quoted(List.of(s), "");
    } else {
      chars(s);
    }
  }

  /** The field {@code String.join(separator, parts)}, quoted when it needs to be. */
  public void joined(List<String> parts, String separator) throws IOException {
    separator();
    boolean quote = needsQuotes(separator);
    for (int i = 0; i < parts.size() && !quote; i++) {
      quote = needsQuotes(parts.get(i));
    }
    if (quote) {
      quoted(parts, separator);
      return;
    }
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        chars(separator);
      }
      chars(parts.get(i));
    }
  }

  /** A whole number. */
  public void number(long n) throws IOException {
    separator();
    digits(n);
  }

  /**
   * An amount of fen as yuan with two decimals, e.g. {@code 1999.50} or {@code -0.05}, as {@code
   * Money#toYuanString()} writes it.
   */
  public void yuan(long fen) throws IOException {
    separator();
    if (fen == Long.MIN_VALUE) {
      chars(dev.onboard.meter.money.Money.ofFen(fen).toYuanString());
      return;
    }
    if (fen < 0) {
      room(1);
      buf[pos++] = '-';
      fen = -fen;
    }
    digits(fen / 100);
    long cents = fen % 100;
    room(3);
    buf[pos++] = '.';
    buf[pos++] = (byte) ('0' + cents / 10);
    buf[pos++] = (byte) ('0' + cents % 10);
  }

  /** An empty field. */
  public void empty() throws IOException {
    separator();
  }

  /** Writes what is buffered to the stream. */
  public void flush() throws IOException {
    out.write(buf, 0, pos);
    pos = 0;
  }

  private void digits(long n) throws IOException {
    if (n < 0) {
      chars(Long.toString(n));
      return;
    }
    room(20);
    int len = 1;
    for (long x = n; x >= 10; x /= 10) {
      len++;
    }
    for (int i = pos + len - 1; i >= pos; i--) {
      buf[i] = (byte) ('0' + n % 10);
      n /= 10;
    }
    pos += len;
  }

  private static boolean needsQuotes(String s) {
    return s.indexOf(',') >= 0
        || s.indexOf('"') >= 0
        || s.indexOf('\n') >= 0
        || s.indexOf('\r') >= 0;
  }

  private void quoted(List<String> parts, String separator) throws IOException {
    room(1);
    buf[pos++] = '"';
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        chars(separator);
      }
      String s = parts.get(i);
      int from = 0;
      for (int q = s.indexOf('"'); q >= 0; q = s.indexOf('"', from)) {
        chars(s, from, q + 1);
        room(1);
        buf[pos++] = '"';
        from = q + 1;
      }
      chars(s, from, s.length());
    }
    room(1);
    buf[pos++] = '"';
  }

  private void chars(String s) throws IOException {
    chars(s, 0, s.length());
  }

  /** Characters {@code [from, to)} of {@code s} in UTF-8. */
  private void chars(String s, int from, int to) throws IOException {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      room(4);
      if (c < 0x80) {
        buf[pos++] = (byte) c;
      } else if (c < 0x800) {
        buf[pos++] = (byte) (0xC0 | (c >> 6));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        int cp;
        if (Character.isHighSurrogate(c)
            && i + 1 < to
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          cp = Character.toCodePoint(c, s.charAt(++i));
          buf[pos++] = (byte) (0xF0 | (cp >> 18));
          buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          buf[pos++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          buf[pos++] = '?'; // as the JDK's UTF-8 encoder replaces an unpaired surrogate
        }
      } else {
        buf[pos++] = (byte) (0xE0 | (c >> 12));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }
}
