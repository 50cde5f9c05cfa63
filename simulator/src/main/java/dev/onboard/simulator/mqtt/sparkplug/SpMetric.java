package dev.onboard.simulator.mqtt.sparkplug;

/**
 * One metric to encode. Immutable.
 *
 * @param name null to send only the alias (DATA messages after a birth)
 * @param alias null for no alias
 * @param timestamp epoch ms; null for none
 * @param datatype the Sparkplug B DataType number ({@link SpEncoder#DOUBLE} etc.)
 * @param historical {@code is_historical}
 * @param value a {@link Double}, {@link Float}, {@link Long}, {@link Integer}, {@link Boolean} or
 *     {@link String}; null sends {@code is_null}
 */
public record SpMetric(
    String name, Long alias, Long timestamp, int datatype, boolean historical, Object value) {

  public static SpMetric of(String name, Long alias, int datatype, Object value) {
    return new SpMetric(name, alias, null, datatype, false, value);
  }

  public SpMetric withTimestamp(long ms) {
    return new SpMetric(name, alias, ms, datatype, historical, value);
  }

  public SpMetric historical(boolean on) {
    return new SpMetric(name, alias, timestamp, datatype, on, value);
  }

  public SpMetric aliasOnly() {
    return new SpMetric(null, alias, timestamp, datatype, historical, value);
  }
}
