package dev.onboard.gateway.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of line protocol as UTF-8 bytes, one after another, with where each ends: what {@link
 * PointEncoder} writes telemetry into and the outbox appends from, so a sample costs no String and
 * no byte array of its own (at 300,000 samples/s those were a third of what the gateway allocated,
 * and the collector's work grew with them). Numbers are written as {@link Long#toString(long)} and
 * {@link Double#toString(double)} write them, through a reused {@link StringBuilder}, which formats
 * them without allocating.
 *
 * <p>Not thread-safe: one thread fills it, hands it over, then {@link #clear}s it.
 */
final class LineBuffer {

  private byte[] bytes = new byte[8 << 10];
  private int[] ends = new int[64];
  private int size;
  private int lines;
  private final StringBuilder number = new StringBuilder(32);

  /** Forgets every line; keeps the arrays. */
  void clear() {
    size = 0;
    lines = 0;
  }

  /** Lines ended so far. */
  int lines() {
    return lines;
  }

  /** Bytes written so far, including an unfinished line. */
  int size() {
    return size;
  }

  /** The bytes; line {@code i} spans {@code [i == 0 ? 0 : ends()[i - 1], ends()[i])}. */
  byte[] bytes() {
    return bytes;
  }

  int[] ends() {
    return ends;
  }

  /** Line {@code i} as text (tests and the one-reading path). */
  String line(int i) {
    int from = i == 0 ? 0 : ends[i - 1];
    return new String(bytes, from, ends[i] - from, StandardCharsets.UTF_8);
  }

  LineBuffer put(byte[] b) {
    room(b.length);
    System.arraycopy(b, 0, bytes, size, b.length);
    size += b.length;
    return this;
  }

  /** Text in UTF-8. */
  LineBuffer utf8(String s) {
    return put(s.getBytes(StandardCharsets.UTF_8));
  }

  /** The digits of {@code v}, as {@link Long#toString(long)}. */
  LineBuffer decimal(long v) {
    number.setLength(0);
    number.append(v);
    return ascii(number);
  }

  /** {@code v} as {@link Double#toString(double)} writes it. */
  LineBuffer decimal(double v) {
    number.setLength(0);
    number.append(v);
    return ascii(number);
  }

  /** Ends the current line (no newline is written: the outbox keeps lines apart). */
  void endLine() {
    if (lines == ends.length) {
      ends = Arrays.copyOf(ends, lines * 2);
    }
    ends[lines++] = size;
  }

  private LineBuffer ascii(CharSequence s) {
    int n = s.length();
    room(n);
    for (int i = 0; i < n; i++) {
      bytes[size++] = (byte) s.charAt(i);
    }
    return this;
  }

  private void room(int n) {
    if (size + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
    }
  }
}
