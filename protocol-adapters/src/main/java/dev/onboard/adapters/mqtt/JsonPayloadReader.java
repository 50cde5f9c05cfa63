package dev.onboard.adapters.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.onboard.adapters.mqtt.MalformedPayloadException.Reason;
import dev.onboard.gateway.spi.Quality;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one JSON telemetry payload as its {@link JsonMapping} says. Refuses, with a {@link
 * MalformedPayloadException}, anything that is not JSON, not an object, lacks the timestamp or the
 * values, or has a value that is not a number, boolean, string or null. Thread-safe (Jackson's
 * {@link ObjectMapper} is, once configured).
 */
final class JsonPayloadReader {

  /** One decoded payload; {@code sourceTime} is null when no timestamp field is configured. */
  record Payload(Instant sourceTime, String serial, Quality quality, List<Value> values) {}

  /** One named value: Double, Long, Boolean, String, or null for "no value" (BAD quality). */
  record Value(String name, Object value) {}

  // Trailing garbage after a valid object (a truncated concatenation) is a malformed payload too.
  // Values are decimal text: Jackson's fast double parser reads them for a fraction of the cost.
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .build();

  private final JsonMapping mapping;

  JsonPayloadReader(JsonMapping mapping) {
    this.mapping = mapping;
  }

  Payload read(byte[] bytes) throws MalformedPayloadException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new MalformedPayloadException(Reason.NOT_JSON, "not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedPayloadException(Reason.NOT_JSON, "not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedPayloadException(
          Reason.NOT_AN_OBJECT, "payload is " + kind(root) + ", not a JSON object");
    }
    return new Payload(timestamp(root), serial(root), quality(root), values(root));
  }

  private Instant timestamp(JsonNode root) throws MalformedPayloadException {
    String field = mapping.timestampField();
    if (field == null) {
      return null;
    }
    JsonNode ts = root.get(field);
    if (ts == null || ts.isNull()) {
      throw new MalformedPayloadException(
          Reason.MISSING_FIELD, "no timestamp field '" + field + "'");
    }
    switch (mapping.timestampUnit()) {
      case MS -> {
        if (!ts.isIntegralNumber()) {
          throw wrongType(field, "whole epoch milliseconds", ts);
        }
        return Instant.ofEpochMilli(ts.longValue());
      }
      case S -> {
        if (!ts.isNumber()) {
          throw wrongType(field, "epoch seconds", ts);
        }
        double s = ts.doubleValue();
        long whole = (long) Math.floor(s);
        return Instant.ofEpochSecond(whole, Math.round((s - whole) * 1e9));
      }
      default -> {
        if (!ts.isTextual()) {
          throw wrongType(field, "ISO-8601 text", ts);
        }
        try {
          return OffsetDateTime.parse(ts.textValue()).toInstant();
        } catch (DateTimeParseException e) {
          throw new MalformedPayloadException(
              Reason.BAD_TIMESTAMP, "'" + field + "' is not ISO-8601 with an offset");
        }
      }
    }
  }

  private String serial(JsonNode root) throws MalformedPayloadException {
    String field = mapping.serialField();
    if (field == null) {
      return null;
    }
    JsonNode s = root.get(field);
    if (s == null || s.isNull()) {
      return null;
    }
    if (!s.isTextual() && !s.isNumber()) {
      throw wrongType(field, "text", s);
    }
    return s.asText();
  }

  private Quality quality(JsonNode root) throws MalformedPayloadException {
    String field = mapping.qualityField();
    JsonNode q = field == null ? null : root.get(field);
    if (q == null || q.isNull()) {
      return Quality.GOOD;
    }
    if (!q.isTextual()) {
      throw wrongType(field, "good, uncertain or bad", q);
    }
    return switch (q.textValue().toLowerCase(Locale.ROOT)) {
      case "good" -> Quality.GOOD;
      case "uncertain" -> Quality.UNCERTAIN;
      case "bad" -> Quality.BAD;
      default -> throw wrongType(field, "good, uncertain or bad", q);
    };
  }

  private List<Value> values(JsonNode root) throws MalformedPayloadException {
    String field = mapping.valuesField();
    JsonNode values = root.get(field);
    if (values == null || values.isNull()) {
      throw new MalformedPayloadException(Reason.MISSING_FIELD, "no values object '" + field + "'");
    }
    if (!values.isObject()) {
      throw wrongType(field, "an object of name → value", values);
    }
    List<Value> out = new ArrayList<>(values.size());
    Iterator<Map.Entry<String, JsonNode>> it = values.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      out.add(new Value(e.getKey(), scalar(field + "." + e.getKey(), e.getValue())));
    }
    return out;
  }

  private static Object scalar(String path, JsonNode v) throws MalformedPayloadException {
    if (v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    throw wrongType(path, "a number, boolean, text or null", v);
  }

  private static MalformedPayloadException wrongType(String field, String expected, JsonNode got) {
    return new MalformedPayloadException(
        Reason.WRONG_TYPE, "'" + field + "' should be " + expected + " but is " + kind(got));
  }

  private static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "empty";
    }
    return n.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
