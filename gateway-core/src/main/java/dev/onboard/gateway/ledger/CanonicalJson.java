package dev.onboard.gateway.ledger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
 * {@link Map} with String keys. {@link #parse} reads such bytes back into the same kinds of values
 * (integers as {@link Long}), so {@code encode(parse(b))} equals {@code b} exactly when {@code b}
 * is canonical. Stateless and thread-safe.
 */
public final class CanonicalJson {

  private static final ObjectMapper READER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private CanonicalJson() {}

  /** Why bytes are not canonical JSON, with where. */
  public static final class NotCanonicalException extends IOException {
    public NotCanonicalException(String message) {
      super(message);
    }
  }

  /**
   * Reads JSON into strings, longs, booleans, nulls, lists and maps (insertion-ordered).
   *
   * @throws NotCanonicalException when the bytes are not JSON, repeat a key, or hold a number that
   *     is not an integer of at most 64 bits
   */
  public static Object parse(byte[] json) throws NotCanonicalException {
    Object value;
    try {
      value = READER.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new NotCanonicalException("not valid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new NotCanonicalException("not readable as JSON: " + e.getMessage());
    }
    return normalize(value, "$");
  }

  /**
   * Parses {@code bytes} (optionally followed by one line feed) and checks they are exactly the
   * canonical encoding of what they hold: one changed byte anywhere either breaks the JSON or
   * changes the value.
   *
   * @throws NotCanonicalException naming the first byte that differs from the canonical form
   */
  public static Object parseCanonical(byte[] bytes) throws NotCanonicalException {
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\n') {
      length--;
    }
    byte[] body = Arrays.copyOf(bytes, length);
    Object value = parse(body);
    byte[] canonical = encode(value);
    int at = Arrays.mismatch(body, canonical);
    if (at >= 0) {
      throw new NotCanonicalException(
          "not in canonical form from byte " + at + " (sorted keys, no spaces, integers only)");
    }
    return value;
  }

  private static Object normalize(Object v, String path) throws NotCanonicalException {
    if (v == null || v instanceof String || v instanceof Long || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Integer i) {
      return i.longValue();
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(normalize(list.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put((String) e.getKey(), normalize(e.getValue(), path + "." + e.getKey()));
      }
      return out;
    }
    throw new NotCanonicalException(
        path + " is " + v + ": only integers of at most 64 bits are canonical numbers");
  }

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
