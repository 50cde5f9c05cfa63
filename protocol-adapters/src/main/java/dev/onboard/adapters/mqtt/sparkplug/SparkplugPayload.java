package dev.onboard.adapters.mqtt.sparkplug;

import java.util.List;

/**
 * One decoded Sparkplug B {@code Payload}. Immutable.
 *
 * @param hasTimestamp whether field 1 was present
 * @param timestamp field 1, epoch milliseconds when the message was sent
 * @param metrics field 2, in wire order
 * @param hasSeq whether field 3 was present
 * @param seq field 3, 0–255 for a conforming edge node
 * @param uuid field 4; null when absent
 */
public record SparkplugPayload(
    boolean hasTimestamp,
    long timestamp,
    List<SparkplugMetric> metrics,
    boolean hasSeq,
    long seq,
    String uuid) {

  public SparkplugPayload {
    metrics = List.copyOf(metrics);
  }

  /** The first metric with this name, or null. */
  public SparkplugMetric metric(String name) {
    for (SparkplugMetric m : metrics) {
      if (name.equals(m.name())) {
        return m;
      }
    }
    return null;
  }
}
