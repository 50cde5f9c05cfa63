package dev.onboard.adapters.mqtt.sparkplug;

import dev.onboard.adapters.mqtt.sparkplug.SparkplugMetric.ValueKind;

/**
 * Sparkplug B {@code DataType} numbers and how a metric's wire value becomes a reading's value
 * ({@link Double}, {@link Long}, {@link Boolean} or {@link String}). Integer types are accepted in
 * either {@code int_value} or {@code long_value} (editions of the specification and edge nodes
 * differ) and cut to their width: a negative Int32 written as a sign-extended ten-byte varint reads
 * the same as its 32-bit form. Stateless.
 */
public final class DataTypes {

  public static final int UNKNOWN = 0;
  public static final int INT8 = 1;
  public static final int INT16 = 2;
  public static final int INT32 = 3;
  public static final int INT64 = 4;
  public static final int UINT8 = 5;
  public static final int UINT16 = 6;
  public static final int UINT32 = 7;
  public static final int UINT64 = 8;
  public static final int FLOAT = 9;
  public static final int DOUBLE = 10;
  public static final int BOOLEAN = 11;
  public static final int STRING = 12;
  public static final int DATETIME = 13;
  public static final int TEXT = 14;
  public static final int UUID = 15;

  /** Returned for values a reading cannot hold (bytes, files, data sets, templates, arrays). */
  public static final Object UNSUPPORTED = new Object();

  private DataTypes() {}

  /** The metric's value does not fit its declared type. */
  public static final class WrongType extends Exception {
    WrongType(String detail) {
      super(detail, null, false, false);
    }
  }

  /**
   * The reading value of {@code m} read as {@code datatype} (the metric's own, or the one its birth
   * declared; 0 when neither said): null when {@code is_null}, {@link #UNSUPPORTED} for types a
   * reading cannot hold.
   */
  public static Object value(SparkplugMetric m, int datatype) throws WrongType {
    if (m.isNull()) {
      return null;
    }
    ValueKind k = m.kind();
    if (k == ValueKind.NONE) {
      throw new WrongType(m.label() + " has no value and is not marked is_null");
    }
    if (k == ValueKind.BYTES
        || k == ValueKind.DATASET
        || k == ValueKind.TEMPLATE
        || k == ValueKind.EXTENSION) {
      return UNSUPPORTED;
    }
    long b = m.bits();
    return switch (datatype) {
      case UNKNOWN -> inferred(m);
      case INT8 -> (long) (byte) integer(m, datatype);
      case INT16 -> (long) (short) integer(m, datatype);
      case INT32 -> (long) (int) integer(m, datatype);
      case INT64 -> k == ValueKind.INT ? (long) (int) integer(m, datatype) : integer(m, datatype);
      case UINT8 -> integer(m, datatype) & 0xFFL;
      case UINT16 -> integer(m, datatype) & 0xFFFFL;
      case UINT32 -> integer(m, datatype) & 0xFFFF_FFFFL;
      case UINT64, DATETIME -> unsigned(integer(m, datatype));
      case FLOAT, DOUBLE -> {
        if (k == ValueKind.FLOAT) {
          yield floatValue(b);
        }
        if (k == ValueKind.DOUBLE) {
          yield Double.longBitsToDouble(b);
        }
        throw mismatch(m, datatype);
      }
      case BOOLEAN -> {
        if (k != ValueKind.BOOLEAN) {
          throw mismatch(m, datatype);
        }
        yield b != 0;
      }
      case STRING, TEXT, UUID -> {
        if (k != ValueKind.STRING) {
          throw mismatch(m, datatype);
        }
        yield m.text();
      }
      default -> UNSUPPORTED;
    };
  }

  /** A name for messages, e.g. {@code Int32}; the number for types this class does not name. */
  public static String name(int datatype) {
    return switch (datatype) {
      case UNKNOWN -> "Unknown";
      case INT8 -> "Int8";
      case INT16 -> "Int16";
      case INT32 -> "Int32";
      case INT64 -> "Int64";
      case UINT8 -> "UInt8";
      case UINT16 -> "UInt16";
      case UINT32 -> "UInt32";
      case UINT64 -> "UInt64";
      case FLOAT -> "Float";
      case DOUBLE -> "Double";
      case BOOLEAN -> "Boolean";
      case STRING -> "String";
      case DATETIME -> "DateTime";
      case TEXT -> "Text";
      case UUID -> "UUID";
      default -> "type " + datatype;
    };
  }

  private static Object inferred(SparkplugMetric m) {
    long b = m.bits();
    return switch (m.kind()) {
      case INT -> b & 0xFFFF_FFFFL;
      case LONG -> unsigned(b);
      case FLOAT -> floatValue(b);
      case DOUBLE -> Double.longBitsToDouble(b);
      case BOOLEAN -> b != 0;
      case STRING -> m.text();
      default -> UNSUPPORTED;
    };
  }

  private static long integer(SparkplugMetric m, int datatype) throws WrongType {
    if (m.kind() != ValueKind.INT && m.kind() != ValueKind.LONG) {
      throw mismatch(m, datatype);
    }
    return m.bits();
  }

  /** A uint64 as a Long when it fits, else the nearest Double. */
  private static Object unsigned(long bits) {
    if (bits >= 0) {
      return bits;
    }
    return (double) (bits >>> 1) * 2.0 + (bits & 1);
  }

  /**
   * A float as the double with the same shortest decimal form (0.1f reads 0.1, not 0.100000001).
   */
  private static double floatValue(long bits) {
    return Double.parseDouble(Float.toString(Float.intBitsToFloat((int) bits)));
  }

  private static WrongType mismatch(SparkplugMetric m, int datatype) {
    return new WrongType(
        m.label()
            + " is declared "
            + name(datatype)
            + " but carries a "
            + m.kind().name().toLowerCase(java.util.Locale.ROOT)
            + " value");
  }
}
