package dev.onboard.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.gateway.config.LivenessTimeouts;
import dev.onboard.gateway.liveness.TrackedDevice;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.uplink.LineProtocol;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PointEncoderTest {

  private static final Instant SOURCE = Instant.ofEpochMilli(1_700_000_000_000L);
  private static final Instant RECEIVED = SOURCE.plusMillis(250);

  private static TrackedDevice device(String id, String enterprise) {
    return new TrackedDevice(id, enterprise, "src", "mqtt", LivenessTimeouts.DEFAULT, Map.of());
  }

  private static Reading reading(String device, String tag, Object value, Quality q) {
    return Reading.of(device, tag, value, SOURCE, RECEIVED, q);
  }

  private final PointEncoder encoder =
      new PointEncoder("gw", List.of(device("cnc-01", "E1"), device("press 2", "广州 精工,有限=公司")));

  @Test
  void a_telemetry_point_carries_the_device_tags_in_key_order_and_the_source_time() {
    assertThat(encoder.telemetry(reading("cnc-01", "Speed", 12.5, Quality.GOOD)))
        .isEqualTo(
            "telemetry,device=cnc-01,enterprise=E1,gateway=gw,protocol=mqtt,tag=Speed"
                + " value=12.5,quality=\"GOOD\" 1700000000000");
  }

  /** The line as LineProtocol builds it field by field: what the encoder must write. */
  private static String reference(Reading r, String enterprise) {
    LineProtocol lp =
        new LineProtocol()
            .measurement("telemetry")
            .tag("device", r.deviceId())
            .tag("enterprise", enterprise)
            .tag("gateway", "gw")
            .tag("protocol", "mqtt")
            .tag("tag", r.tag());
    Object v = r.value();
    if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
      lp.field("value", d);
    } else if (v instanceof Long l) {
      lp.field("value_int", l);
    } else if (v instanceof Boolean b) {
      lp.field("value_bool", b);
    } else if (v instanceof String s) {
      lp.field("value_str", s);
    }
    lp.field("quality", r.quality().name());
    if (r.historical()) {
      lp.field("historical", true);
    }
    return lp.at(r.sourceTime().toEpochMilli());
  }

  @Test
  void every_kind_of_value_is_written_as_line_protocol_builds_it_field_by_field() {
    List<Reading> samples =
        List.of(
            reading("cnc-01", "Speed", 1.0, Quality.GOOD),
            reading("cnc-01", "Speed", -0.000123456789, Quality.GOOD),
            reading("cnc-01", "Speed", 1.0e21, Quality.GOOD),
            reading("cnc-01", "Speed", Double.NaN, Quality.UNCERTAIN),
            reading("cnc-01", "Speed", Long.MIN_VALUE, Quality.UNCERTAIN),
            reading("cnc-01", "Speed", false, Quality.GOOD),
            reading("cnc-01", "Speed", "say \"hi\"\n", Quality.GOOD),
            reading("cnc-01", "Speed", null, Quality.BAD),
            new Reading("cnc-01", "Speed", 2.5, SOURCE, RECEIVED, Quality.GOOD, true),
            new Reading("cnc-01", "Speed", "t", SOURCE, RECEIVED, Quality.GOOD, true));
    for (Reading r : samples) {
      assertThat(encoder.telemetry(r)).isEqualTo(reference(r, "E1"));
    }
  }

  @Test
  void every_sample_of_a_series_after_the_first_is_written_exactly_as_the_first() {
    List<Reading> samples =
        List.of(
            reading("cnc-01", "Speed", 1.0, Quality.GOOD),
            reading("cnc-01", "Speed", 7L, Quality.UNCERTAIN),
            reading("cnc-01", "Speed", true, Quality.GOOD),
            reading("cnc-01", "Speed", "say \"hi\"", Quality.GOOD),
            reading("cnc-01", "Speed", null, Quality.BAD),
            new Reading("cnc-01", "Speed", 2.5, SOURCE, RECEIVED, Quality.GOOD, true));
    PointEncoder keepsNothing = new PointEncoder("gw", List.of(device("cnc-01", "E1")), 0);
    for (Reading r : samples) {
      assertThat(encoder.telemetry(r)).isEqualTo(keepsNothing.telemetry(r));
    }
    assertThat(encoder.telemetry(samples.get(4)))
        .isEqualTo(
            "telemetry,device=cnc-01,enterprise=E1,gateway=gw,protocol=mqtt,tag=Speed"
                + " quality=\"BAD\" 1700000000000");
  }

  @Test
  void spaces_commas_and_equals_signs_in_device_enterprise_and_signal_names_are_escaped() {
    String first = encoder.telemetry(reading("press 2", "temp, °C=x", 3L, Quality.GOOD));
    assertThat(first)
        .isEqualTo(
            "telemetry,device=press\\ 2,enterprise=广州\\ 精工\\,有限\\=公司,gateway=gw,protocol=mqtt,"
                + "tag=temp\\,\\ °C\\=x value_int=3i,quality=\"GOOD\" 1700000000000");
    assertThat(encoder.telemetry(reading("press 2", "temp, °C=x", 3L, Quality.GOOD)))
        .isEqualTo(first);
  }

  @Test
  void a_device_missing_from_the_inventory_gets_no_enterprise_or_protocol_tag() {
    assertThat(encoder.telemetry(reading("ghost", "x", 1L, Quality.GOOD)))
        .startsWith("telemetry,device=ghost,gateway=gw,tag=x value_int=1i");
  }

  @Test
  void series_past_the_limit_are_encoded_in_full_and_come_out_the_same() {
    PointEncoder small = new PointEncoder("gw", List.of(device("cnc-01", "E1")), 2);
    for (String tag : List.of("a", "b", "c", "d", "c")) {
      Reading r = reading("cnc-01", tag, 4.25, Quality.GOOD);
      assertThat(small.telemetry(r)).isEqualTo(encoder.telemetry(r)).contains(",tag=" + tag + " ");
    }
  }

  @Test
  void other_points_between_telemetry_samples_do_not_disturb_the_kept_series() {
    String before = encoder.telemetry(reading("cnc-01", "Speed", 1.5, Quality.GOOD));
    encoder.heartbeat(0, Map.of("ONLINE", 1L), 0, 0);
    assertThat(encoder.telemetry(reading("cnc-01", "Speed", 1.5, Quality.GOOD))).isEqualTo(before);
  }

  @Test
  void many_samples_encoded_into_one_reused_buffer_come_out_as_the_lines_written_one_by_one() {
    List<Reading> samples = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Object value = i % 3 == 0 ? (Object) (i * 0.1) : i % 3 == 1 ? (Object) (long) -i : "t" + i;
      samples.add(reading(i % 2 == 0 ? "cnc-01" : "press 2", "tag" + (i % 7), value, Quality.GOOD));
    }
    LineBuffer buffer = new LineBuffer();
    for (int round = 0; round < 2; round++) {
      buffer.clear();
      samples.forEach(r -> encoder.telemetry(r, buffer));
      assertThat(buffer.lines()).isEqualTo(samples.size());
      assertThat(buffer.size()).isGreaterThan(8 << 10); // past the buffer's first size
      for (int i = 0; i < samples.size(); i++) {
        assertThat(buffer.line(i)).isEqualTo(encoder.telemetry(samples.get(i)));
      }
    }
  }
}
