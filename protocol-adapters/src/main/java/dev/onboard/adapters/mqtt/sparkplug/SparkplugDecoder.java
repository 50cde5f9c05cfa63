package dev.onboard.adapters.mqtt.sparkplug;

import dev.onboard.adapters.mqtt.sparkplug.SparkplugMetric.ValueKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a Sparkplug B {@code Payload} (sparkplug_b.proto, proto2) straight from the protobuf wire
 * format, without a protobuf library. Field numbers are the specification's:
 *
 * <pre>
 * Payload:  1 timestamp (uint64) · 2 metrics (Metric) · 3 seq (uint64) · 4 uuid (string) · 5 body
 * Metric:   1 name · 2 alias · 3 timestamp · 4 datatype · 5 is_historical · 6 is_transient
 *           · 7 is_null · 8 metadata · 9 properties (PropertySet) · value one-of: 10 int_value
 *           (uint32) · 11 long_value (uint64) · 12 float_value · 13 double_value
 *           · 14 boolean_value · 15 string_value · 16 bytes_value · 17 dataset_value
 *           · 18 template_value · 19 extension_value
 * PropertySet: 1 keys (string) · 2 values (PropertyValue: 1 type · 2 is_null · 3 int_value
 *           · 4 long_value · ...)
 * </pre>
 *
 * Unknown fields are skipped, as protobuf requires; a known field with the wrong wire type, a
 * truncated value or a length past the end is a {@link SparkplugFormatException}. Metadata, data
 * sets, templates and bytes are skipped (their kind is kept). Stateless and thread-safe.
 */
public final class SparkplugDecoder {

  /** The property an Ignition-style edge node uses for a metric's quality (192 = good). */
  static final String QUALITY_PROPERTY = "Quality";

  private SparkplugDecoder() {}

  public static SparkplugPayload decode(byte[] bytes) throws SparkplugFormatException {
    ProtoReader r = new ProtoReader(bytes);
    boolean hasTimestamp = false;
    long timestamp = 0;
    boolean hasSeq = false;
    long seq = 0;
    String uuid = null;
    List<SparkplugMetric> metrics = new ArrayList<>();
    while (r.hasMore()) {
      int tag = r.tag();
      switch (ProtoReader.field(tag)) {
        case 1 -> {
          expect(tag, ProtoReader.VARINT, "Payload.timestamp");
          timestamp = r.varint();
          hasTimestamp = true;
        }
        case 2 -> {
          expect(tag, ProtoReader.LEN, "Payload.metrics");
          metrics.add(metric(r.message()));
        }
        case 3 -> {
          expect(tag, ProtoReader.VARINT, "Payload.seq");
          seq = r.varint();
          hasSeq = true;
        }
        case 4 -> {
          expect(tag, ProtoReader.LEN, "Payload.uuid");
          uuid = r.string();
        }
        default -> r.skip(ProtoReader.wireType(tag));
      }
    }
    return new SparkplugPayload(hasTimestamp, timestamp, metrics, hasSeq, seq, uuid);
  }

  private static SparkplugMetric metric(ProtoReader r) throws SparkplugFormatException {
    String name = null;
    boolean hasAlias = false;
    long alias = 0;
    boolean hasTimestamp = false;
    long timestamp = 0;
    int datatype = 0;
    boolean historical = false;
    boolean transientValue = false;
    boolean isNull = false;
    ValueKind kind = ValueKind.NONE;
    long bits = 0;
    String text = null;
    Long quality = null;
    while (r.hasMore()) {
      int tag = r.tag();
      int field = ProtoReader.field(tag);
      switch (field) {
        case 1 -> {
          expect(tag, ProtoReader.LEN, "Metric.name");
          name = r.string();
        }
        case 2 -> {
          expect(tag, ProtoReader.VARINT, "Metric.alias");
          alias = r.varint();
          hasAlias = true;
        }
        case 3 -> {
          expect(tag, ProtoReader.VARINT, "Metric.timestamp");
          timestamp = r.varint();
          hasTimestamp = true;
        }
        case 4 -> {
          expect(tag, ProtoReader.VARINT, "Metric.datatype");
          datatype = (int) r.varint();
        }
        case 5 -> {
          expect(tag, ProtoReader.VARINT, "Metric.is_historical");
          historical = r.varint() != 0;
        }
        case 6 -> {
          expect(tag, ProtoReader.VARINT, "Metric.is_transient");
          transientValue = r.varint() != 0;
        }
        case 7 -> {
          expect(tag, ProtoReader.VARINT, "Metric.is_null");
          isNull = r.varint() != 0;
        }
        case 9 -> {
          expect(tag, ProtoReader.LEN, "Metric.properties");
          Long q = quality(r.message());
          if (q != null) {
            quality = q;
          }
        }
        case 10, 11, 14 -> {
          expect(tag, ProtoReader.VARINT, "Metric value field " + field);
          bits = r.varint();
          text = null;
          kind = field == 10 ? ValueKind.INT : field == 11 ? ValueKind.LONG : ValueKind.BOOLEAN;
        }
        case 12 -> {
          expect(tag, ProtoReader.FIXED32, "Metric.float_value");
          bits = r.fixed32() & 0xFFFF_FFFFL;
          text = null;
          kind = ValueKind.FLOAT;
        }
        case 13 -> {
          expect(tag, ProtoReader.FIXED64, "Metric.double_value");
          bits = r.fixed64();
          text = null;
          kind = ValueKind.DOUBLE;
        }
        case 15 -> {
          expect(tag, ProtoReader.LEN, "Metric.string_value");
          text = r.string();
          kind = ValueKind.STRING;
        }
        case 16, 17, 18, 19 -> {
          expect(tag, ProtoReader.LEN, "Metric value field " + field);
          r.skip(ProtoReader.LEN);
          text = null;
          kind =
              switch (field) {
                case 16 -> ValueKind.BYTES;
                case 17 -> ValueKind.DATASET;
                case 18 -> ValueKind.TEMPLATE;
                default -> ValueKind.EXTENSION;
              };
        }
        default -> r.skip(ProtoReader.wireType(tag));
      }
    }
    return new SparkplugMetric(
        name,
        hasAlias,
        alias,
        hasTimestamp,
        timestamp,
        datatype,
        historical,
        transientValue,
        isNull,
        kind,
        bits,
        text,
        quality);
  }

  /** The integer value of the {@code Quality} key of a PropertySet, or null. */
  private static Long quality(ProtoReader r) throws SparkplugFormatException {
    List<String> keys = new ArrayList<>(4);
    List<Long> values = new ArrayList<>(4);
    while (r.hasMore()) {
      int tag = r.tag();
      switch (ProtoReader.field(tag)) {
        case 1 -> {
          expect(tag, ProtoReader.LEN, "PropertySet.keys");
          keys.add(r.string());
        }
        case 2 -> {
          expect(tag, ProtoReader.LEN, "PropertySet.values");
          values.add(propertyInteger(r.message()));
        }
        default -> r.skip(ProtoReader.wireType(tag));
      }
    }
    int i = keys.indexOf(QUALITY_PROPERTY);
    return i >= 0 && i < values.size() ? values.get(i) : null;
  }

  private static Long propertyInteger(ProtoReader r) throws SparkplugFormatException {
    Long value = null;
    while (r.hasMore()) {
      int tag = r.tag();
      int field = ProtoReader.field(tag);
      if (field == 3 || field == 4) {
        expect(tag, ProtoReader.VARINT, "PropertyValue integer");
        long v = r.varint();
        value = field == 3 ? (long) (int) v : v;
      } else {
        r.skip(ProtoReader.wireType(tag));
      }
    }
    return value;
  }

  private static void expect(int tag, int wireType, String what) throws SparkplugFormatException {
    if (ProtoReader.wireType(tag) != wireType) {
      throw new SparkplugFormatException(
          what
              + " (field "
              + ProtoReader.field(tag)
              + ") has wire type "
              + ProtoReader.wireType(tag)
              + ", expected "
              + wireType);
    }
  }
}
