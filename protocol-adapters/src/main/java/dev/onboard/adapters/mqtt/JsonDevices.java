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
 * <p>Each topic is matched against the patterns and the inventory once; the answer is kept (up to
 * {@value #MAX_ROUTES} topics, then matched each time) so a message costs one map look-up to find
 * its device.
 *
 * <p>Thread-safety: safe from any thread (Paho calls it on one callback thread).
 */
final class JsonDevices {

  /** Topics whose answer is kept: every device's topics, bounded against made-up topics. */
  static final int MAX_ROUTES = 100_000;

  /**
   * What a topic is: telemetry or status of a device (null: not in the inventory), or neither; for
   * a device's telemetry also its {@link LastSeen}, shared by every topic of the device, so a
   * message needs no second map look-up (a ConcurrentHashMap.computeIfAbsent per message was 3 % of
   * the gateway's samples at 10,000 messages/s).
   */
  private record Route(boolean telemetry, boolean status, String deviceId, LastSeen last) {
    static final Route NEITHER = new Route(false, false, null, null);
  }

  /** What the last telemetry of a device said, to tell replays and new serials. */
  private static final class LastSeen {
    Instant sourceTime;
    String serial;
  }

  private final JsonMapping mapping;
  private final JsonPayloadReader reader;
  private final DeviceDirectory directory;
  private final EventSink sink;
  private final Clock clock;
  private final int maxPayloadBytes;
  private final Refusals refusals;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final Map<String, LastSeen> lastSeen = new ConcurrentHashMap<>();
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
    Route route = route(topic);
    if (route.telemetry()) {
      telemetry(route.deviceId(), route.last(), topic, payload, now);
    } else if (route.status()) {
      status(route.deviceId(), topic, payload, now);
    }
    return route != Route.NEITHER;
  }

  private Route route(String topic) {
    Route route = routes.get(topic);
    if (route != null) {
      return route;
    }
    Optional<Map<String, String>> telemetry = mapping.topic().match(topic);
    if (telemetry.isPresent()) {
      String deviceId = directory.find(telemetry.get());
      route =
          new Route(
              true,
              false,
              deviceId,
              deviceId == null ? null : lastSeen.computeIfAbsent(deviceId, d -> new LastSeen()));
    } else {
      Optional<Map<String, String>> status =
          mapping.statusTopic() == null ? Optional.empty() : mapping.statusTopic().match(topic);
      route =
          status.isPresent()
              ? new Route(false, true, directory.find(status.get()), null)
              : Route.NEITHER;
    }
    if (routes.size() < MAX_ROUTES) {
      routes.put(topic, route);
    }
    return route;
  }

  /** Messages on our topics for devices not in the inventory. */
  long unmatched() {
    return unmatched.sum();
  }

  private void telemetry(
      String deviceId, LastSeen last, String topic, byte[] payload, Instant now) {
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
          MalformedPayloadException.Reason.OVERSIZE,
          payload.length + " bytes, more than maxPayloadBytes " + maxPayloadBytes);
      return;
    }
    JsonPayloadReader.Payload p;
    try {
      p = reader.read(payload);
    } catch (MalformedPayloadException e) {
      refuse(deviceId, topic, payload, now, e.reason(), e.getMessage());
      return;
    }
    boolean newSerial;
    Instant replayedAfter = null;
    synchronized (last) {
      if (p.sourceTime() != null) {
        if (last.sourceTime != null && p.sourceTime().isBefore(last.sourceTime)) {
          replayedAfter = last.sourceTime;
        } else {
          last.sourceTime = p.sourceTime();
        }
      }
      newSerial = replayedAfter == null && p.serial() != null && !p.serial().equals(last.serial);
      if (newSerial) {
        last.serial = p.serial();
      }
    }
    if (replayedAfter != null) {
      refuse(
          deviceId,
          topic,
          payload,
          now,
          MalformedPayloadException.Reason.REPLAYED,
          "timestamp " + p.sourceTime() + " is older than " + replayedAfter + ", already received");
      return;
    }
    if (newSerial) {
      sink.event(
          new DeviceEvent.IdentityObserved(
              deviceId, now, new DeviceIdentity(Map.of(DeviceIdentity.SERIAL_NUMBER, p.serial()))));
    }
    Instant sourceTime = p.sourceTime() != null ? p.sourceTime() : now;
    java.util.List<Reading> batch = new java.util.ArrayList<>(p.values().size());
    for (JsonPayloadReader.Value v : p.values()) {
      Quality q = v.value() == null ? Quality.BAD : p.quality();
      batch.add(Reading.of(deviceId, v.name(), v.value(), sourceTime, now, q));
    }
    sink.readings(batch);
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
          MalformedPayloadException.Reason.WRONG_TYPE,
          "status payload is neither online nor offline");
    }
  }

  /** Counts, dead-letters and flags a refused message: a replay as such, the rest as malformed. */
  private void refuse(
      String deviceId,
      String topic,
      byte[] payload,
      Instant now,
      MalformedPayloadException.Reason reason,
      String detail) {
    DeviceEvent.Flag flag =
        reason == MalformedPayloadException.Reason.REPLAYED
            ? DeviceEvent.Flag.REPLAYED_SEQUENCE
            : DeviceEvent.Flag.MALFORMED_PAYLOAD;
    refusals.refuse(deviceId, deviceId, topic, payload, now, reason.name(), detail, flag);
  }
}
