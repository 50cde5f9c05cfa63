package dev.onboard.gateway.ledger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical byte encoding of evidence: JSON with object keys sorted by code point, no
 * whitespace, strings escaped only where JSON requires it (quote, backslash, control characters as
 * {@code \\uXXXX} except the short forms), integers only (no floating point, so no two encodings of
 * one number), UTF-8. The same value always gives the same bytes, which is what the Merkle tree
 * hashes and what an auditor re-hashes.
 *
 * <p>Values: {@link String}, {@link Long}/{@link Integer}, {@link Boolean}, null, {@link List},
 * {@link Map} with String keys. Stateless and thread-safe.
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  public static byte[] encode(Object value) {
    StringBuilder b = new StringBuilder(256);
    write(b, value);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      string(b, s);
    } else if (v instanceof Long || v instanceof Integer) {
      b.append(v);
    } else if (v instanceof Boolean bool) {
      b.append(bool);
    } else if (v instanceof List<?> list) {
      b.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        write(b, list.get(i));
      }
      b.append(']');
    } else if (v instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      map.forEach((k, x) -> sorted.put((String) k, x));
      b.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        string(b, e.getKey());
        b.append(':');
        write(b, e.getValue());
      }
      b.append('}');
    } else {
      throw new IllegalArgumentException(
          "not canonical JSON: "
              + v.getClass().getSimpleName()
              + " (use integers, strings, booleans, lists, maps)");
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
