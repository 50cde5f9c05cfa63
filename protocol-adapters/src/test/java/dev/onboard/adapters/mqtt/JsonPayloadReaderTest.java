package dev.onboard.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.adapters.mqtt.MalformedPayloadException.Reason;
import dev.onboard.gateway.spi.Quality;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class JsonPayloadReaderTest {

  private static JsonPayloadReader reader(JsonMapping.TimestampUnit unit) {
    TopicPattern topic = TopicPattern.parse("f/{device}/t", new String[1]).orElseThrow();
    return new JsonPayloadReader(
        new JsonMapping(topic, null, "ts", unit, "values", "quality", "serial"));
  }

  private final JsonPayloadReader reader = reader(JsonMapping.TimestampUnit.MS);

  private JsonPayloadReader.Payload read(String json) throws MalformedPayloadException {
    return reader.read(json.getBytes(StandardCharsets.UTF_8));
  }

  private void refused(String json, Reason reason, String detail) {
    ThrowingCallable call = () -> read(json);
    assertThatThrownBy(call)
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageContaining(detail)
        .extracting(e -> ((MalformedPayloadException) e).reason())
        .isEqualTo(reason);
  }

  @Test
  void each_value_keeps_its_place_and_its_type() throws Exception {
    JsonPayloadReader.Payload p =
        read(
            "{\"ts\":1700000000123,\"serial\":\"SN-1\",\"other\":{\"x\":[1,\"a\\u0041\"]},"
                + "\"values\":{\"d\":1.5,\"i\":-7,\"b\":true,\"s\":\"on\\n\",\"n\":null,"
                + "\"big\":123456789012345678901234567890,\"e\":1e3}}");
    assertThat(p.sourceTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
    assertThat(p.serial()).isEqualTo("SN-1");
    assertThat(p.quality()).isEqualTo(Quality.GOOD);
    assertThat(p.values())
        .containsExactly(
            new JsonPayloadReader.Value("d", 1.5),
            new JsonPayloadReader.Value("i", -7L),
            new JsonPayloadReader.Value("b", true),
            new JsonPayloadReader.Value("s", "on\n"),
            new JsonPayloadReader.Value("n", null),
            new JsonPayloadReader.Value("big", 1.2345678901234568e29),
            new JsonPayloadReader.Value("e", 1000.0));
  }

  @Test
  void a_name_given_twice_counts_once_at_its_first_place_with_its_last_value() throws Exception {
    JsonPayloadReader.Payload p =
        read("{\"values\":{\"a\":[1],\"b\":2,\"a\":3},\"ts\":1,\"ts\":5,\"serial\":7}");
    assertThat(p.values())
        .containsExactly(
            new JsonPayloadReader.Value("a", 3L), new JsonPayloadReader.Value("b", 2L));
    assertThat(p.sourceTime()).isEqualTo(Instant.ofEpochMilli(5));
    assertThat(p.serial()).isEqualTo("7");
  }

  @Test
  void bad_json_anywhere_is_refused_as_not_json_before_any_other_reason() {
    List.of(
            "this is not JSON",
            "{\"values\":{\"a\":[1]},\"ts\":",
            "[1,2] x",
            "{\"unused\":\"bad \\q escape\",\"ts\":1,\"values\":{}}")
        .forEach(json -> refused(json, Reason.NOT_JSON, "not JSON"));
    String twoObjects = "{\"ts\":1,\"values\":{\"a\":1}} {}";
    refused(twoObjects, Reason.NOT_JSON, "Trailing token (of type START_OBJECT) found after value");
  }

  @Test
  void anything_but_an_object_is_named_in_the_refusal() {
    Map.of("", "empty", "[1,2]", "array", "42", "number", "null", "null")
        .forEach((json, kind) -> refused(json, Reason.NOT_AN_OBJECT, "payload is " + kind));
  }

  @Test
  void missing_and_wrongly_typed_fields_are_refused_in_the_order_timestamp_serial_quality_values() {
    refused("{\"values\":{\"a\":1}}", Reason.MISSING_FIELD, "no timestamp field 'ts'");
    refused("{\"ts\":\"x\",\"values\":5}", Reason.WRONG_TYPE, "'ts' should be whole epoch");
    refused("{\"ts\":1,\"serial\":[],\"values\":5}", Reason.WRONG_TYPE, "'serial'");
    refused("{\"ts\":1,\"quality\":\"meh\",\"values\":5}", Reason.WRONG_TYPE, "'quality'");
    refused("{\"ts\":1}", Reason.MISSING_FIELD, "no values object 'values'");
    refused("{\"ts\":1,\"values\":null}", Reason.MISSING_FIELD, "no values object 'values'");
    refused("{\"ts\":1,\"values\":[1]}", Reason.WRONG_TYPE, "'values' should be an object");
    refused(
        "{\"ts\":1,\"values\":{\"a\":1,\"b\":{\"c\":2}}}",
        Reason.WRONG_TYPE,
        "'values.b' should be a number, boolean, text or null but is object");
  }

  @Test
  void quality_and_timestamps_in_seconds_and_iso_text_are_read() throws Exception {
    assertThat(read("{\"ts\":1,\"quality\":\"Uncertain\",\"values\":{}}").quality())
        .isEqualTo(Quality.UNCERTAIN);
    assertThat(
            reader(JsonMapping.TimestampUnit.S)
                .read(bytes("{\"ts\":1.25,\"values\":{}}"))
                .sourceTime())
        .isEqualTo(Instant.ofEpochMilli(1250));
    assertThat(
            reader(JsonMapping.TimestampUnit.ISO)
                .read(bytes("{\"ts\":\"2026-03-01T08:00:00+01:00\",\"values\":{}}"))
                .sourceTime())
        .isEqualTo(Instant.parse("2026-03-01T07:00:00Z"));
  }

  @Test
  void a_values_field_that_is_also_the_timestamp_field_is_read_both_ways() {
    TopicPattern topic = TopicPattern.parse("f/{device}/t", new String[1]).orElseThrow();
    JsonPayloadReader same =
        new JsonPayloadReader(
            new JsonMapping(topic, null, "v", JsonMapping.TimestampUnit.MS, "v", null, null));
    assertThatThrownBy(() -> same.read(bytes("{\"v\":{\"a\":1}}")))
        .hasMessageContaining("'v' should be whole epoch milliseconds but is object");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
