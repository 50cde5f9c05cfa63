package dev.onboard.adapters.mqtt.sparkplug;

/**
 * One decoded {@code Payload.Metric}, as it was on the wire: which of the {@code value} one-of
 * fields was set ({@link #kind()}) and its raw bits; {@link DataTypes} turns it into a reading's
 * value. Immutable.
 *
 * @param name field 1; null when absent (a DATA message that uses aliases)
 * @param hasAlias whether field 2 was present
 * @param alias field 2
 * @param hasTimestamp whether field 3 was present
 * @param timestamp field 3, epoch milliseconds
 * @param datatype field 4 (a Sparkplug {@code DataType}); 0 when absent
 * @param historical field 5 {@code is_historical}
 * @param transientValue field 6 {@code is_transient}
 * @param isNull field 7 {@code is_null}
 * @param kind which value field was set last (a protobuf one-of keeps the last)
 * @param bits the raw integer of {@code int_value}, {@code long_value} or {@code boolean_value}, or
 *     the IEEE bits of {@code float_value} / {@code double_value}
 * @param text {@code string_value}; null otherwise
 * @param quality the {@code Quality} property (field 9) when present as an integer, else null
 */
public record SparkplugMetric(
    String name,
    boolean hasAlias,
    long alias,
    boolean hasTimestamp,
    long timestamp,
    int datatype,
    boolean historical,
    boolean transientValue,
    boolean isNull,
    ValueKind kind,
    long bits,
    String text,
    Long quality) {

  /** Which one-of {@code value} field a metric carried. */
  public enum ValueKind {
    NONE,
    INT,
    LONG,
    FLOAT,
    DOUBLE,
    BOOLEAN,
    STRING,
    BYTES,
    DATASET,
    TEMPLATE,
    EXTENSION
  }

  /** {@code name} if set, else {@code alias N}, for messages. */
  public String label() {
    return name != null ? name : hasAlias ? "alias " + alias : "an unnamed metric";
  }
}
