package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.DeviceIdentity;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns messages on the JSON topics into readings and device events: telemetry becomes one {@link
 * Reading} per value, a status {@code online}/{@code offline} becomes {@link
 * DeviceEvent.Connected}/{@link DeviceEvent.Disconnected}, a new serial number becomes {@link
 * DeviceEvent.IdentityObserved}. Anything it cannot read is counted, dead-lettered and flagged,
 * never thrown.
 *
 * <p>Thread-safety: safe from any thread (Paho calls it on one callback thread).
 */
final class JsonDevices {

  private final JsonMapping mapping;
  private final JsonPayloadReader reader;
  private final DeviceDirectory directory;
  private final EventSink sink;
  private final Clock clock;
  private final int maxPayloadBytes;
  private final Refusals refusals;
  private final Map<String, String> lastSerial = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastSourceTime = new ConcurrentHashMap<>();
  private final LongAdder unmatched = new LongAdder();

  JsonDevices(
      JsonMapping mapping,
      DeviceDirectory directory,
      EventSink sink,
      Clock clock,
      int maxPayloadBytes,
      Refusals refusals) {
    this.mapping = mapping;
    this.reader = new JsonPayloadReader(mapping);
    this.directory = directory;
    this.sink = sink;
    this.clock = clock;
    this.maxPayloadBytes = maxPayloadBytes;
    this.refusals = refusals;
  }

  /** The subscription filters for the telemetry topic and, if configured, the status topic. */
  List<String> filters() {
    List<String> out = new ArrayList<>();
    out.add(mapping.topic().filter());
    if (mapping.statusTopic() != null
        && !mapping.statusTopic().filter().equals(mapping.topic().filter())) {
      out.add(mapping.statusTopic().filter());
    }
    return out;
  }

  /** Handles one message; true if it was on one of this mapping's topics. */
  boolean handle(String topic, byte[] payload) {
    Instant now = clock.instant();
    Optional<Map<String, String>> telemetry = mapping.topic().match(topic);
    if (telemetry.isPresent()) {
      telemetry(directory.find(telemetry.get()), topic, payload, now);
      return true;
    }
    if (mapping.statusTopic() != null) {
      Optional<Map<String, String>> status = mapping.statusTopic().match(topic);
      if (status.isPresent()) {
        status(directory.find(status.get()), topic, payload, now);
        return true;
      }
    }
    return false;
  }

  /** Messages on our topics for devices not in the inventory. */
  long unmatched() {
    return unmatched.sum();
  }

  private void telemetry(String deviceId, String topic, byte[] payload, Instant now) {
    if (deviceId == null) {
      unmatched.increment();
      return;
    }
    if (payload.length > maxPayloadBytes) {
      refuse(
          deviceId,
          topic,
          payload,
          now,
          MalformedPayloadException.Reason.OVERSIZE.name(),
          payload.length + " bytes, more than maxPayloadBytes " + maxPayloadBytes);
      return;
    }
    JsonPayloadReader.Payload p;
    try {
      p = reader.read(payload);
    } catch (MalformedPayloadException e) {
      refuse(deviceId, topic, payload, now, e.reason().name(), e.getMessage());
      return;
    }
    if (p.sourceTime() != null) {
      Instant last = lastSourceTime.get(deviceId);
      if (last != null && p.sourceTime().isBefore(last)) {
        refusals.refuse(
            deviceId,
            deviceId,
            topic,
            payload,
            now,
            MalformedPayloadException.Reason.REPLAYED.name(),
            "timestamp " + p.sourceTime() + " is older than " + last + ", already received",
            DeviceEvent.Flag.REPLAYED_SEQUENCE);
        return;
      }
      lastSourceTime.put(deviceId, p.sourceTime());
    }
    if (p.serial() != null && !Objects.equals(lastSerial.put(deviceId, p.serial()), p.serial())) {
      sink.event(
          new DeviceEvent.IdentityObserved(
              deviceId, now, new DeviceIdentity(Map.of(DeviceIdentity.SERIAL_NUMBER, p.serial()))));
    }
    Instant sourceTime = p.sourceTime() != null ? p.sourceTime() : now;
    for (JsonPayloadReader.Value v : p.values()) {
      Quality q = v.value() == null ? Quality.BAD : p.quality();
      sink.reading(Reading.of(deviceId, v.name(), v.value(), sourceTime, now, q));
    }
  }

  private void status(String deviceId, String topic, byte[] payload, Instant now) {
    if (deviceId == null) {
      unmatched.increment();
      return;
    }
    String text = new String(payload, StandardCharsets.UTF_8).trim();
    if (text.equalsIgnoreCase("online")) {
      sink.event(new DeviceEvent.Connected(deviceId, now));
    } else if (text.equalsIgnoreCase("offline")) {
      // The payload cannot tell a Will from a clean goodbye; both mean the device is gone now.
      sink.event(new DeviceEvent.Disconnected(deviceId, now, "status offline"));
    } else if (!text.isEmpty()) {
      // An empty payload clears a retained status: nothing to say about the device.
      refuse(
          deviceId,
          topic,
          payload,
          now,
          MalformedPayloadException.Reason.WRONG_TYPE.name(),
          "status payload is neither online nor offline");
    }
  }

  private void refuse(
      String deviceId, String topic, byte[] payload, Instant now, String reason, String detail) {
    refusals.refuse(
        deviceId,
        deviceId,
        topic,
        payload,
        now,
        reason,
        detail,
        DeviceEvent.Flag.MALFORMED_PAYLOAD);
  }
}
