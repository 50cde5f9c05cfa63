package dev.onboard.adapters.mqtt.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.adapters.mqtt.sparkplug.SparkplugMetric.ValueKind;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The decoder against bytes written by hand from sparkplug_b.proto's field numbers: a tag is {@code
 * field << 3 | wire type} (0 varint, 1 64-bit, 2 length-delimited, 5 32-bit).
 */
class SparkplugDecoderTest {

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void decodes_timestamp_seq_and_a_double_metric_with_name_alias_and_datatype() throws Exception {
    // Metric: 0A 01 74 name "t" · 10 05 alias 5 · 20 0A datatype 10 (Double)
    //         · 69 <8 bytes LE> double_value (13<<3|1 = 0x69) = 1.5 (0x3FF8000000000000)
    String metric = "0A0174 1005 200A 69 000000000000F83F";
    // Payload: 08 E807 timestamp 1000 · 12 10 <16-byte metric> · 18 03 seq 3
    SparkplugPayload p = SparkplugDecoder.decode(hex("08E807 1210" + metric + " 1803"));

    assertThat(p.hasTimestamp()).isTrue();
    assertThat(p.timestamp()).isEqualTo(1000);
    assertThat(p.hasSeq()).isTrue();
    assertThat(p.seq()).isEqualTo(3);
    assertThat(p.metrics()).hasSize(1);
    SparkplugMetric m = p.metrics().get(0);
    assertThat(m.name()).isEqualTo("t");
    assertThat(m.hasAlias()).isTrue();
    assertThat(m.alias()).isEqualTo(5);
    assertThat(m.datatype()).isEqualTo(DataTypes.DOUBLE);
    assertThat(m.kind()).isEqualTo(ValueKind.DOUBLE);
    assertThat(DataTypes.value(m, m.datatype())).isEqualTo(1.5);
  }

  @Test
  void a_negative_int32_reads_the_same_in_five_byte_and_sign_extended_ten_byte_form()
      throws Exception {
    // int_value is field 10 (tag 0x50), uint32: -2 is 0xFFFFFFFE → varint FE FF FF FF 0F;
    // some encoders sign-extend to 64 bits → FE FF FF FF FF FF FF FF FF 01.
    SparkplugPayload five = SparkplugDecoder.decode(hex("120B 0A0169 2003 50FEFFFFFF0F"));
    SparkplugPayload ten = SparkplugDecoder.decode(hex("1210 0A0169 2003 50FEFFFFFFFFFFFFFFFF01"));

    assertThat(DataTypes.value(five.metrics().get(0), DataTypes.INT32)).isEqualTo(-2L);
    assertThat(DataTypes.value(ten.metrics().get(0), DataTypes.INT32)).isEqualTo(-2L);
    assertThat(DataTypes.value(five.metrics().get(0), DataTypes.UINT32)).isEqualTo(4294967294L);
  }

  @Test
  void decodes_float_boolean_string_timestamp_historical_and_null() throws Exception {
    // float_value field 12 (0x65, 32-bit LE): 0.1f = 0x3DCCCCCD
    SparkplugMetric f = one("0A0166 2009 65CDCCCC3D");
    assertThat(DataTypes.value(f, f.datatype())).isEqualTo(0.1);
    // boolean_value field 14 (0x70)
    SparkplugMetric b = one("0A0162 200B 7001");
    assertThat(DataTypes.value(b, b.datatype())).isEqualTo(true);
    // string_value field 15 (0x7A), "ok"
    SparkplugMetric s = one("0A0173 200C 7A026F6B");
    assertThat(DataTypes.value(s, s.datatype())).isEqualTo("ok");
    // metric timestamp field 3 (0x18) = 1000, is_historical field 5 (0x28), long_value 11 (0x58)
    SparkplugMetric h = one("0A0168 18E807 2004 2801 582A");
    assertThat(h.hasTimestamp()).isTrue();
    assertThat(h.timestamp()).isEqualTo(1000);
    assertThat(h.historical()).isTrue();
    assertThat(DataTypes.value(h, h.datatype())).isEqualTo(42L);
    // is_null field 7 (0x38)
    SparkplugMetric n = one("0A016E 200A 3801");
    assertThat(n.isNull()).isTrue();
    assertThat(DataTypes.value(n, n.datatype())).isNull();
  }

  @Test
  void reads_the_quality_property_and_skips_unknown_fields_and_bytes_values() throws Exception {
    // properties field 9 (0x4A): PropertySet{keys: "Quality" (0A 07 ...), values:
    // PropertyValue{type 3 (08 03), int_value 0 (18 00)} (12 04 ...)}
    String props = "0A07" + HexFormat.of().formatHex("Quality".getBytes()) + "1204 0803 1800";
    SparkplugMetric q = one("0A0171 200A 69000000000000F03F 4A0F" + props);
    assertThat(q.quality()).isEqualTo(0L);
    // Unknown field 99 (varint, tag 0x98 0x06) and bytes_value field 16 (tag 0x82 0x01)
    SparkplugMetric u = one("0A0175 9806 07 2011 820102ABCD");
    assertThat(u.kind()).isEqualTo(ValueKind.BYTES);
    assertThat(DataTypes.value(u, u.datatype())).isSameAs(DataTypes.UNSUPPORTED);
    // Payload-level unknown field 6 (string, tag 0x32) is skipped too.
    assertThat(SparkplugDecoder.decode(hex("3203616263 1801")).seq()).isEqualTo(1);
  }

  @Test
  void a_value_that_does_not_fit_its_declared_type_is_a_wrong_type() throws Exception {
    SparkplugMetric m = one("0A0178 200A 7A026F6B"); // Double declared, string carried
    assertThatThrownBy(() -> DataTypes.value(m, m.datatype()))
        .isInstanceOf(DataTypes.WrongType.class)
        .hasMessageContaining("declared Double");
  }

  @Test
  void malformed_bytes_are_refused_with_a_reason() {
    assertMalformed("08E8", "truncated varint");
    assertMalformed("1205 0A", "runs past the end");
    assertMalformed("0B", "unsupported wire type 3");
    assertMalformed("00", "invalid field number 0");
    assertMalformed("08 FFFFFFFFFFFFFFFFFFFF01", "longer than 10 bytes");
    assertMalformed("1A00", "Payload.seq (field 3) has wire type 2");
    assertMalformed("1203 690000", "truncated 64-bit");
    assertMalformed("12FFFFFFFF0F", "runs past the end");
  }

  @Test
  void an_empty_payload_is_valid_and_has_nothing() throws Exception {
    SparkplugPayload p = SparkplugDecoder.decode(new byte[0]);
    assertThat(p.hasSeq()).isFalse();
    assertThat(p.metrics()).isEmpty();
  }

  @Test
  void the_rebirth_request_is_the_bytes_the_specification_gives() throws Exception {
    // Metric: 0A 14 "Node Control/Rebirth" · 18 E807 timestamp 1000 · 20 0B Boolean · 70 01 true
    String name = HexFormat.of().formatHex("Node Control/Rebirth".getBytes());
    byte[] expected = hex("08E807 121D 0A14" + name + "18E807 200B 7001");

    byte[] encoded = SparkplugEncoder.rebirthRequest(1000);

    assertThat(encoded).isEqualTo(expected);
    SparkplugMetric m = SparkplugDecoder.decode(encoded).metric(SparkplugEncoder.REBIRTH_METRIC);
    assertThat(DataTypes.value(m, m.datatype())).isEqualTo(true);
  }

  private static SparkplugMetric one(String metricHex) throws SparkplugFormatException {
    byte[] metric = hex(metricHex);
    byte[] payload = new byte[metric.length + 2];
    payload[0] = 0x12;
    payload[1] = (byte) metric.length;
    System.arraycopy(metric, 0, payload, 2, metric.length);
    return SparkplugDecoder.decode(payload).metrics().get(0);
  }

  private static void assertMalformed(String bytes, String reason) {
    assertThatThrownBy(() -> SparkplugDecoder.decode(hex(bytes)))
        .as(bytes)
        .isInstanceOf(SparkplugFormatException.class)
        .hasMessageContaining(reason);
  }
}
