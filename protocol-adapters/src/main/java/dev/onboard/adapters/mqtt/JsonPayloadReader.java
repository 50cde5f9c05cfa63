package dev.onboard.adapters.mqtt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.onboard.adapters.mqtt.MalformedPayloadException.Reason;
import dev.onboard.gateway.spi.Quality;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one JSON telemetry payload as its {@link JsonMapping} says. Refuses, with a {@link
 * MalformedPayloadException}, anything that is not JSON, not an object, lacks the timestamp or the
 * values, or has a value that is not a number, boolean, string or null. Thread-safe (Jackson's
 * {@link ObjectMapper} is, once configured; each read has its own parser).
 *
 * <p>The payload is read as a stream of tokens, not as a tree: the values go straight into {@link
 * Value}s. It is still read to its end before anything is judged, so a payload that is not JSON is
 * always refused as such, and the checks come in the same order as in a tree: timestamp, serial,
 * quality, values. A name given twice counts once, at its first place, with its last value.
 */
final class JsonPayloadReader {

  /** One decoded payload; {@code sourceTime} is null when no timestamp field is configured. */
  record Payload(Instant sourceTime, String serial, Quality quality, List<Value> values) {}

  /** One named value: Double, Long, Boolean, String, or null for "no value" (BAD quality). */
  record Value(String name, Object value) {}

  // Values are decimal text: Jackson's fast double parser reads them for a fraction of the cost.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  /** A value in the values object that is an object or an array, refused once all was read. */
  private record Nested(String kind) {}

  /** The configured top-level fields as read; an absent one stays null. */
  private static final class Fields {
    JsonNode timestamp;
    JsonNode serial;
    JsonNode quality;
    // The values field: as name → value (or Nested) when it is an object, else as a node.
    Map<String, Object> values;
    JsonNode valuesNode;
  }

  private final JsonMapping mapping;

  JsonPayloadReader(JsonMapping mapping) {
    this.mapping = mapping;
  }

  Payload read(byte[] bytes) throws MalformedPayloadException {
    Fields f;
    try (JsonParser p = JSON.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        // Read whatever it is to its end first: bad JSON is refused as such before anything else.
        JsonNode root = first == null ? null : JSON.readTree(p);
        noTrailingTokens(p);
        throw new MalformedPayloadException(
            Reason.NOT_AN_OBJECT, "payload is " + kind(root) + ", not a JSON object");
      }
      f = fields(p);
      noTrailingTokens(p);
    } catch (JsonProcessingException e) {
      throw new MalformedPayloadException(Reason.NOT_JSON, "not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedPayloadException(Reason.NOT_JSON, "not JSON: " + e.getMessage());
    }
    return new Payload(timestamp(f.timestamp), serial(f.serial), quality(f.quality), values(f));
  }

  /** The top-level fields, after the opening brace, to the closing one. */
  private Fields fields(JsonParser p) throws IOException {
    Fields f = new Fields();
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken token = p.nextToken();
      boolean values = name.equals(mapping.valuesField());
      boolean timestamp = name.equals(mapping.timestampField());
      boolean serial = name.equals(mapping.serialField());
      boolean quality = name.equals(mapping.qualityField());
      if (values && !timestamp && !serial && !quality && token == JsonToken.START_OBJECT) {
        f.values = valueMap(p);
        f.valuesNode = null;
        continue;
      }
      // Anything else is read whole, also when unused, so bad JSON anywhere is found.
      JsonNode n = node(p, token);
      if (timestamp) {
        f.timestamp = n;
      }
      if (serial) {
        f.serial = n;
      }
      if (quality) {
        f.quality = n;
      }
      if (values) {
        f.values = n.isObject() ? valueMap(n.traverse(JSON)) : null;
        f.valuesNode = n.isObject() ? null : n;
      }
    }
    return f;
  }

  /** Name → value of an object whose opening brace was just read (or is next, from a tree). */
  private static Map<String, Object> valueMap(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.nextToken();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      out.put(name, scalar(p, p.nextToken()));
    }
    return out;
  }

  /** Long, Double (also for integers beyond a long), Boolean, String, null, or Nested. */
  private static Object scalar(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT) {
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        return Double.valueOf(p.getBigIntegerValue().doubleValue());
      }
      return Long.valueOf(p.getLongValue());
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      return Double.valueOf(p.getDoubleValue());
    }
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return Boolean.valueOf(t == JsonToken.VALUE_TRUE);
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    return new Nested(kind(JSON.readTree(p)));
  }

  /** The value at the current token as a tree node, as Jackson's tree model would build it. */
  private static JsonNode node(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_NUMBER_INT:
        return switch (p.getNumberType()) {
          case INT -> IntNode.valueOf(p.getIntValue());
          case LONG -> LongNode.valueOf(p.getLongValue());
          default -> BigIntegerNode.valueOf(p.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return DoubleNode.valueOf(p.getDoubleValue());
      case VALUE_STRING:
        return TextNode.valueOf(p.getText());
      case VALUE_TRUE:
        return BooleanNode.TRUE;
      case VALUE_FALSE:
        return BooleanNode.FALSE;
      case VALUE_NULL:
        return NullNode.instance;
      default:
        return JSON.readTree(p); // an object or an array
    }
  }

  /** A truncated concatenation (a valid value, then more) is a malformed payload too. */
  private static void noTrailingTokens(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t != null) {
      throw new com.fasterxml.jackson.core.JsonParseException(
          p, "Trailing token (of type " + t + ") found after value");
    }
  }

  private Instant timestamp(JsonNode ts) throws MalformedPayloadException {
    String field = mapping.timestampField();
    if (field == null) {
      return null;
    }
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

  private String serial(JsonNode s) throws MalformedPayloadException {
    String field = mapping.serialField();
    if (field == null) {
      return null;
    }
    if (s == null || s.isNull()) {
      return null;
    }
    if (!s.isTextual() && !s.isNumber()) {
      throw wrongType(field, "text", s);
    }
    return s.asText();
  }

  private Quality quality(JsonNode q) throws MalformedPayloadException {
    String field = mapping.qualityField();
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

  private List<Value> values(Fields f) throws MalformedPayloadException {
    String field = mapping.valuesField();
    if (f.values == null) {
      if (f.valuesNode == null || f.valuesNode.isNull()) {
        throw new MalformedPayloadException(
            Reason.MISSING_FIELD, "no values object '" + field + "'");
      }
      throw wrongType(field, "an object of name → value", f.valuesNode);
    }
    List<Value> out = new ArrayList<>(f.values.size());
    for (Map.Entry<String, Object> e : f.values.entrySet()) {
      if (e.getValue() instanceof Nested n) {
        throw wrongType(field + "." + e.getKey(), "a number, boolean, text or null", n.kind());
      }
      out.add(new Value(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static MalformedPayloadException wrongType(String field, String expected, JsonNode got) {
    return wrongType(field, expected, kind(got));
  }

  private static MalformedPayloadException wrongType(String field, String expected, String kind) {
    return new MalformedPayloadException(
        Reason.WRONG_TYPE, "'" + field + "' should be " + expected + " but is " + kind);
  }

  private static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "empty";
    }
    return n.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
