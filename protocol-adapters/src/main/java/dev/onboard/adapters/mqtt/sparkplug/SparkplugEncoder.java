package dev.onboard.adapters.mqtt.sparkplug;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the few Sparkplug B payloads a host application sends: a rebirth request ({@code NCMD}
 * with {@code Node Control/Rebirth = true}). Field numbers as in {@link SparkplugDecoder}.
 * Stateless.
 */
public final class SparkplugEncoder {

  public static final String REBIRTH_METRIC = "Node Control/Rebirth";

  private SparkplugEncoder() {}

  /**
   * {@code Payload{timestamp, metrics: [Metric{name: "Node Control/Rebirth", timestamp, datatype:
   * Boolean, boolean_value: true}]}}.
   */
  public static byte[] rebirthRequest(long timestampMillis) {
    ByteArrayOutputStream metric = new ByteArrayOutputStream(40);
    string(metric, 1, REBIRTH_METRIC);
    varintField(metric, 3, timestampMillis);
    varintField(metric, 4, DataTypes.BOOLEAN);
    varintField(metric, 14, 1);
    ByteArrayOutputStream payload = new ByteArrayOutputStream(64);
    varintField(payload, 1, timestampMillis);
    bytesField(payload, 2, metric.toByteArray());
    return payload.toByteArray();
  }

  private static void varintField(ByteArrayOutputStream out, int field, long value) {
    varint(out, (long) field << 3);
    varint(out, value);
  }

  private static void string(ByteArrayOutputStream out, int field, String value) {
    bytesField(out, field, value.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytesField(ByteArrayOutputStream out, int field, byte[] bytes) {
    varint(out, ((long) field << 3) | 2);
    varint(out, bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
