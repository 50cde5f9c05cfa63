package dev.onboard.adapters.mqtt.sparkplug;

import java.nio.charset.StandardCharsets;

/**
 * Reads the protobuf wire format (varint, 64-bit, length-delimited, 32-bit) from a byte range,
 * checking every length against the range so that no input can read past it or loop. Groups (wire
 * types 3 and 4, deprecated and unused by Sparkplug) are refused. Not thread-safe; one per decode.
 */
final class ProtoReader {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private final byte[] buf;
  private int pos;
  private final int limit;

  ProtoReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  private ProtoReader(byte[] buf, int from, int limit) {
    this.buf = buf;
    this.pos = from;
    this.limit = limit;
  }

  boolean hasMore() {
    return pos < limit;
  }

  /**
   * The next field's tag ({@code field << 3 | wireType}); checks the field number and wire type.
   */
  int tag() throws SparkplugFormatException {
    int at = pos;
    long tag = varint();
    int wire = (int) (tag & 7);
    long field = tag >>> 3;
    if (field == 0 || field > 0x1FFF_FFFFL) {
      throw new SparkplugFormatException("invalid field number " + field + " at byte " + at);
    }
    if (wire != VARINT && wire != FIXED64 && wire != LEN && wire != FIXED32) {
      throw new SparkplugFormatException(
          "unsupported wire type " + wire + " for field " + field + " at byte " + at);
    }
    return (int) tag;
  }

  static int field(int tag) {
    return tag >>> 3;
  }

  static int wireType(int tag) {
    return tag & 7;
  }

  long varint() throws SparkplugFormatException {
    long result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= limit) {
        throw new SparkplugFormatException("truncated varint at byte " + pos);
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new SparkplugFormatException("varint longer than 10 bytes at byte " + pos);
  }

  long fixed64() throws SparkplugFormatException {
    require(8, "64-bit value");
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (buf[pos + i] & 0xFFL);
    }
    pos += 8;
    return v;
  }

  int fixed32() throws SparkplugFormatException {
    require(4, "32-bit value");
    int v = 0;
    for (int i = 3; i >= 0; i--) {
      v = (v << 8) | (buf[pos + i] & 0xFF);
    }
    pos += 4;
    return v;
  }

  /** A length-delimited field's contents as a reader of their own; this reader moves past them. */
  ProtoReader message() throws SparkplugFormatException {
    int len = length();
    ProtoReader sub = new ProtoReader(buf, pos, pos + len);
    pos += len;
    return sub;
  }

  String string() throws SparkplugFormatException {
    int len = length();
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  /** Skips a field's value of the given wire type. */
  void skip(int wireType) throws SparkplugFormatException {
    switch (wireType) {
      case VARINT -> varint();
      case FIXED64 -> {
        require(8, "64-bit value");
        pos += 8;
      }
      case FIXED32 -> {
        require(4, "32-bit value");
        pos += 4;
      }
      default -> {
        // Not "pos += length()": Java reads pos before length() moves it past the varint.
        int len = length();
        pos += len;
      }
    }
  }

  private int length() throws SparkplugFormatException {
    int at = pos;
    long len = varint();
    if (len < 0 || len > limit - pos) {
      throw new SparkplugFormatException(
          "length " + len + " at byte " + at + " runs past the end (" + (limit - pos) + " left)");
    }
    return (int) len;
  }

  private void require(int n, String what) throws SparkplugFormatException {
    if (limit - pos < n) {
      throw new SparkplugFormatException("truncated " + what + " at byte " + pos);
    }
  }
}
