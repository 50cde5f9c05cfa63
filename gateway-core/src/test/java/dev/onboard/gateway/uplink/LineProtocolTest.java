package dev.onboard.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LineProtocolTest {

  private final LineProtocol lp = new LineProtocol();

  @Test
  void a_point_has_measurement_tags_fields_and_a_millisecond_timestamp() {
    String line =
        lp.measurement("telemetry")
            .tag("device", "cnc-01")
            .tag("tag", "SpindleSpeed")
            .field("value", 1200.5)
            .field("quality", "GOOD")
            .at(1_700_000_000_123L);
    assertThat(line)
        .isEqualTo(
            "telemetry,device=cnc-01,tag=SpindleSpeed value=1200.5,quality=\"GOOD\" 1700000000123");
  }

  @Test
  void integers_carry_the_i_suffix_and_booleans_are_bare() {
    assertThat(lp.measurement("m").field("n", 42L).field("ok", true).at(1))
        .isEqualTo("m n=42i,ok=true 1");
  }

  @Test
  void spaces_commas_and_equals_signs_in_tags_are_escaped() {
    String line = lp.measurement("my m,x").tag("ent erprise", "广州 精工,有限=公司").field("v", 1L).at(5);
    assertThat(line).isEqualTo("my\\ m\\,x,ent\\ erprise=广州\\ 精工\\,有限\\=公司 v=1i 5");
  }

  @Test
  void quotes_backslashes_and_newlines_in_string_fields_are_escaped() {
    assertThat(lp.measurement("m").field("s", "say \"hi\"\\\nbye").at(1))
        .isEqualTo("m s=\"say \\\"hi\\\"\\\\\\nbye\" 1");
  }

  @Test
  void an_empty_tag_value_is_left_out_because_influxdb_rejects_it() {
    assertThat(lp.measurement("m").tag("enterprise", "").tag("device", "d").field("v", 1L).at(1))
        .isEqualTo("m,device=d v=1i 1");
  }

  @Test
  void a_point_without_fields_or_with_nan_is_refused_before_it_reaches_the_store() {
    assertThatThrownBy(() -> lp.measurement("m").tag("a", "b").at(1))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> lp.measurement("m").field("v", Double.NaN))
        .hasMessageContaining("NaN");
  }

  @Test
  void a_line_started_from_a_kept_series_key_equals_the_line_built_in_full() {
    String key = lp.measurement("tele metry").tag("device", "a,b").tag("tag", "x=").seriesKey();
    String full =
        new LineProtocol()
            .measurement("tele metry")
            .tag("device", "a,b")
            .tag("tag", "x=")
            .field("v", 2.0)
            .at(9);
    assertThat(lp.series(key).field("v", 2.0).at(9))
        .isEqualTo(full)
        .isEqualTo("tele\\ metry,device=a\\,b,tag=x\\= v=2.0 9");
  }

  @Test
  void a_series_key_cannot_be_taken_once_fields_were_written() {
    assertThatThrownBy(() -> lp.measurement("m").field("v", 1L).seriesKey())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void characters_to_escape_are_found_at_the_end_of_a_name_and_value_too() {
    assertThat(lp.measurement("m").tag("k", "v ").field("s", "end\"").at(1))
        .isEqualTo("m,k=v\\  s=\"end\\\"\" 1");
  }
}
