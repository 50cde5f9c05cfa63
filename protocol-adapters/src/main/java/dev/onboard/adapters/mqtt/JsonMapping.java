package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.Settings;
import java.util.Optional;
import java.util.Set;

/**
 * Where a JSON device's topics are and what its payload looks like. Immutable.
 *
 * @param topic the telemetry topic pattern, with a {@code {device}} placeholder
 * @param statusTopic an optional status topic pattern whose payloads are {@code online} / {@code
 *     offline} (typically the device's retained Will); null when not configured
 * @param timestampField the field holding the measurement time; null to use the receive time
 * @param timestampUnit how that field is written
 * @param valuesField the object holding name → value
 * @param qualityField an optional field with {@code good}, {@code uncertain} or {@code bad}; null
 *     when not configured
 * @param serialField an optional field with the device's serial number; null when not configured
 */
record JsonMapping(
    TopicPattern topic,
    TopicPattern statusTopic,
    String timestampField,
    TimestampUnit timestampUnit,
    String valuesField,
    String qualityField,
    String serialField) {

  /** How a timestamp is written in a payload. */
  enum TimestampUnit {
    /** Epoch milliseconds, a number. */
    MS,
    /** Epoch seconds, a number (fractions allowed). */
    S,
    /** ISO-8601 text with an offset, e.g. {@code 2026-03-01T08:00:00Z}. */
    ISO
  }

  static JsonMapping parse(Settings json) throws ConfigException {
    json.rejectUnknownKeys(
        Set.of("topic", "statusTopic", "timestamp", "values", "quality", "serial"));
    TopicPattern topic = pattern(json, "topic", true);
    TopicPattern status = json.has("statusTopic") ? pattern(json, "statusTopic", false) : null;
    String tsField = null;
    TimestampUnit unit = TimestampUnit.MS;
    if (json.has("timestamp")) {
      Settings ts = json.section("timestamp");
      ts.rejectUnknownKeys(Set.of("field", "unit"));
      tsField = ts.string("field");
      unit = ts.enumValue("unit", TimestampUnit.class, TimestampUnit.MS);
    }
    return new JsonMapping(
        topic,
        status,
        tsField,
        unit,
        json.string("values", "values"),
        json.optionalString("quality").orElse(null),
        json.optionalString("serial").orElse(null));
  }

  private static TopicPattern pattern(Settings json, String key, boolean required)
      throws ConfigException {
    String text = required ? json.string(key) : json.string(key, "");
    String[] problem = new String[1];
    Optional<TopicPattern> p = TopicPattern.parse(text, problem);
    if (p.isEmpty()) {
      throw json.error(
          key,
          "'" + text + "' " + problem[0],
          "write e.g. \"factory/{enterprise}/{device}/telemetry\"");
    }
    return p.get();
  }
}
