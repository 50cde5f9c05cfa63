package dev.onboard.simulator.mqtt.sparkplug;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes Sparkplug B payloads (sparkplug_b.proto) in the protobuf wire format, written by hand so
 * the simulator needs no protobuf library. Field numbers are the specification's: Payload 1
 * timestamp, 2 metrics, 3 seq; Metric 1 name, 2 alias, 3 timestamp, 4 datatype, 5 is_historical, 7
 * is_null, 10 int_value, 11 long_value, 12 float_value, 13 double_value, 14 boolean_value, 15
 * string_value. Integer types up to 32 bits go to {@code int_value}, wider ones to {@code
 * long_value}. Stateless.
 */
public final class SpEncoder {

  public static final int INT32 = 3;
  public static final int INT64 = 4;
  public static final int UINT32 = 7;
  public static final int UINT64 = 8;
  public static final int FLOAT = 9;
  public static final int DOUBLE = 10;
  public static final int BOOLEAN = 11;
  public static final int STRING = 12;
  public static final int DATETIME = 13;

  private SpEncoder() {}

  /**
   * @param timestamp epoch ms, or null
   * @param seq 0–255, or null (NDEATH has none)
   */
  public static byte[] payload(Long timestamp, Long seq, List<SpMetric> metrics) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 + 24 * metrics.size());
    if (timestamp != null) {
      varintField(out, 1, timestamp);
    }
    for (SpMetric m : metrics) {
      bytesField(out, 2, metric(m));
    }
    if (seq != null) {
      varintField(out, 3, seq);
    }
    return out.toByteArray();
  }

  static byte[] metric(SpMetric m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32);
    if (m.name() != null) {
      bytesField(out, 1, m.name().getBytes(StandardCharsets.UTF_8));
    }
    if (m.alias() != null) {
      varintField(out, 2, m.alias());
    }
    if (m.timestamp() != null) {
      varintField(out, 3, m.timestamp());
    }
    varintField(out, 4, m.datatype());
    if (m.historical()) {
      varintField(out, 5, 1);
    }
    Object v = m.value();
    if (v == null) {
      varintField(out, 7, 1);
    } else if (v instanceof Double d) {
      tag(out, 13, 1);
      fixed64(out, Double.doubleToRawLongBits(d));
    } else if (v instanceof Float f) {
      tag(out, 12, 5);
      fixed32(out, Float.floatToRawIntBits(f));
    } else if (v instanceof Boolean b) {
      varintField(out, 14, b ? 1 : 0);
    } else if (v instanceof String s) {
      bytesField(out, 15, s.getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof Number n) {
      boolean wide = m.datatype() == INT64 || m.datatype() == UINT64 || m.datatype() == DATETIME;
      if (wide) {
        varintField(out, 11, n.longValue());
      } else {
        // uint32 on the wire: a negative Int32 is its 32-bit two's complement.
        varintField(out, 10, n.intValue() & 0xFFFF_FFFFL);
      }
    } else {
      throw new IllegalArgumentException("cannot encode " + v.getClass().getSimpleName());
    }
    return out.toByteArray();
  }

  private static void tag(ByteArrayOutputStream out, int field, int wireType) {
    varint(out, ((long) field << 3) | wireType);
  }

  private static void varintField(ByteArrayOutputStream out, int field, long value) {
    tag(out, field, 0);
    varint(out, value);
  }

  private static void bytesField(ByteArrayOutputStream out, int field, byte[] bytes) {
    tag(out, field, 2);
    varint(out, bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static void fixed64(ByteArrayOutputStream out, long v) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (v >>> (8 * i)) & 0xFF);
    }
  }

  private static void fixed32(ByteArrayOutputStream out, int v) {
    for (int i = 0; i < 4; i++) {
      out.write((v >>> (8 * i)) & 0xFF);
    }
  }

  /**
   * True if {@code payload} holds a metric named {@code name} with {@code boolean_value} true: how
   * an edge node reads a command such as {@code Node Control/Rebirth}. False for anything it cannot
   * read.
   */
  public static boolean hasTrueBoolean(byte[] payload, String name) {
    boolean[] found = {false};
    boolean readable =
        walk(
            payload,
            0,
            payload.length,
            (field, wire, b, pos) -> {
              if (field != 2 || wire != 2) {
                return false;
              }
              int len = (int) readVarint(b, pos);
              int end = pos[0] + len;
              if (len < 0 || end > b.length) {
                throw new IndexOutOfBoundsException("metric past the payload's end");
              }
              found[0] |= metricIsTrue(b, pos[0], end, name);
              pos[0] = end;
              return true;
            });
    return readable && found[0];
  }

  /**
   * The payload's {@code seq} (field 3), or null if it has none or cannot be read: how a test
   * watching the broker sees what a node sent. Only the payload's top level is read.
   */
  public static Long seq(byte[] payload) {
    Long[] seq = {null};
    boolean readable =
        walk(
            payload,
            0,
            payload.length,
            (field, wire, b, pos) -> {
              if (field != 3 || wire != 0) {
                return false;
              }
              seq[0] = readVarint(b, pos);
              return true;
            });
    return readable ? seq[0] : null;
  }

  private static boolean metricIsTrue(byte[] payload, int from, int end, String name) {
    String[] found = {null};
    boolean[] value = {false};
    boolean readable =
        walk(
            payload,
            from,
            end,
            (field, wire, b, pos) -> {
              if (field == 1 && wire == 2) {
                int len = (int) readVarint(b, pos);
                found[0] = new String(b, pos[0], len, StandardCharsets.UTF_8);
                pos[0] += len;
                return true;
              }
              if (field == 14 && wire == 0) {
                value[0] = readVarint(b, pos) != 0;
                return true;
              }
              return false;
            });
    return readable && name.equals(found[0]) && value[0];
  }

  /** Reads one field it wants (moving {@code pos[0]} past it) and says so; false to skip it. */
  private interface FieldReader {
    boolean read(int field, int wire, byte[] b, int[] pos);
  }

  /** Walks the fields in {@code b[from, end)}; false if they cannot be read. */
  private static boolean walk(byte[] b, int from, int end, FieldReader reader) {
    try {
      int[] pos = {from};
      while (pos[0] < end) {
        long tag = readVarint(b, pos);
        int field = (int) (tag >>> 3);
        int wire = (int) (tag & 7);
        if (!reader.read(field, wire, b, pos) && !skip(b, pos, wire)) {
          return false;
        }
      }
      return true;
    } catch (IndexOutOfBoundsException e) {
      return false;
    }
  }

  private static boolean skip(byte[] b, int[] pos, int wire) {
    switch (wire) {
      case 0 -> readVarint(b, pos);
      case 1 -> pos[0] += 8;
      case 2 -> {
        int len = (int) readVarint(b, pos);
        pos[0] += len;
      }
      case 5 -> pos[0] += 4;
      default -> {
        return false;
      }
    }
    return pos[0] <= b.length;
  }

  private static long readVarint(byte[] b, int[] pos) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte x = b[pos[0]++];
      result |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return result;
      }
    }
    throw new ArrayIndexOutOfBoundsException("varint too long");
  }
}
