package dev.onboard.gateway.report;

import java.util.List;
import java.util.Map;

/**
 * Typed reads from parsed canonical JSON, failing with the path of the value that is missing or of
 * the wrong kind. Stateless.
 */
final class Json {

  private Json() {}

  static Map<?, ?> map(Map<?, ?> m, String key, String where) {
    if (m.get(key) instanceof Map<?, ?> v) {
      return v;
    }
    throw new IllegalArgumentException(where + "." + key + " is missing or not an object");
  }

  static List<?> list(Map<?, ?> m, String key, String where) {
    if (m.get(key) instanceof List<?> v) {
      return v;
    }
    throw new IllegalArgumentException(where + "." + key + " is missing or not a list");
  }

  static String string(Map<?, ?> m, String key, String where) {
    if (m.get(key) instanceof String v) {
      return v;
    }
    throw new IllegalArgumentException(where + "." + key + " is missing or not a string");
  }

  /** A string, or {@code null} when absent or null. */
  static String optString(Map<?, ?> m, String key) {
    return m.get(key) instanceof String v ? v : null;
  }

  static long number(Map<?, ?> m, String key, String where) {
    if (m.get(key) instanceof Number v) {
      return v.longValue();
    }
    throw new IllegalArgumentException(where + "." + key + " is missing or not an integer");
  }

  static boolean bool(Map<?, ?> m, String key) {
    return Boolean.TRUE.equals(m.get(key));
  }
}
