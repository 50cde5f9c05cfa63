package dev.onboard.simulator.mqtt.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's encoder against bytes written by hand from sparkplug_b.proto's field numbers (a
 * tag is {@code field << 3 | wire type}).
 */
class SpEncoderTest {

  private static String hex(byte[] b) {
    return HexFormat.of().withUpperCase().formatHex(b);
  }

  @Test
  void a_double_metric_with_alias_timestamp_and_seq() {
    byte[] p =
        SpEncoder.payload(
            1000L, 3L, List.of(SpMetric.of("t", 5L, SpEncoder.DOUBLE, 1.5).withTimestamp(1000)));
    // Payload 08 E807 (timestamp 1000) · 12 13 <metric> · 18 03 (seq 3)
    // Metric 0A 01 74 (name "t") · 10 05 (alias) · 18 E807 (timestamp) · 20 0A (Double)
    //        · 69 000000000000F83F (double_value 1.5)
    assertThat(hex(p))
        .isEqualTo("08E807" + "1213" + "0A0174100518E807200A69000000000000F83F" + "1803");
  }

  @Test
  void integers_booleans_strings_floats_nulls_and_historical() {
    // Int32 -2 as uint32 in int_value (field 10, 0x50): FE FF FF FF 0F
    assertThat(hex(SpEncoder.metric(SpMetric.of("i", null, SpEncoder.INT32, -2))))
        .isEqualTo("0A0169200350FEFFFFFF0F");
    // Int64 in long_value (field 11, 0x58)
    assertThat(hex(SpEncoder.metric(SpMetric.of("l", null, SpEncoder.INT64, 300L))))
        .isEqualTo("0A016C2004" + "58AC02");
    assertThat(hex(SpEncoder.metric(SpMetric.of("b", null, SpEncoder.BOOLEAN, true))))
        .isEqualTo("0A0162200B7001");
    assertThat(hex(SpEncoder.metric(SpMetric.of("s", null, SpEncoder.STRING, "ok"))))
        .isEqualTo("0A0173200C7A026F6B");
    // float_value field 12 (0x65), 0.1f = 0x3DCCCCCD little-endian
    assertThat(hex(SpEncoder.metric(SpMetric.of("f", null, SpEncoder.FLOAT, 0.1f))))
        .isEqualTo("0A01662009" + "65CDCCCC3D");
    // is_null field 7 (0x38)
    assertThat(hex(SpEncoder.metric(SpMetric.of("n", null, SpEncoder.DOUBLE, null))))
        .isEqualTo("0A016E200A3801");
    // alias only, is_historical field 5 (0x28)
    assertThat(
            hex(
                SpEncoder.metric(
                    SpMetric.of("h", 7L, SpEncoder.INT64, 1L).historical(true).aliasOnly())))
        .isEqualTo("100720042801" + "5801");
  }

  @Test
  void an_ndeath_has_no_timestamp_and_no_seq() {
    byte[] p =
        SpEncoder.payload(null, null, List.of(SpMetric.of("bdSeq", null, SpEncoder.INT64, 2L)));
    // 12 0B · 0A 05 "bdSeq" · 20 04 · 58 02
    assertThat(hex(p)).isEqualTo("120B0A0562645365712004" + "5802");
  }

  @Test
  void reads_a_rebirth_command_and_nothing_else() {
    byte[] rebirth =
        SpEncoder.payload(
            1000L,
            null,
            List.of(SpMetric.of(SimulatedEdgeNode.REBIRTH, null, SpEncoder.BOOLEAN, true)));
    byte[] no =
        SpEncoder.payload(
            1000L,
            null,
            List.of(SpMetric.of(SimulatedEdgeNode.REBIRTH, null, SpEncoder.BOOLEAN, false)));
    assertThat(SpEncoder.hasTrueBoolean(rebirth, SimulatedEdgeNode.REBIRTH)).isTrue();
    assertThat(SpEncoder.hasTrueBoolean(no, SimulatedEdgeNode.REBIRTH)).isFalse();
    assertThat(SpEncoder.hasTrueBoolean(new byte[] {0x12, 0x7F}, SimulatedEdgeNode.REBIRTH))
        .isFalse();
    assertThat(SpEncoder.hasTrueBoolean("junk".getBytes(), SimulatedEdgeNode.REBIRTH)).isFalse();
  }
}
