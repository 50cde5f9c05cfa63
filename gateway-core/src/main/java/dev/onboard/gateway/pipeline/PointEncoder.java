package dev.onboard.gateway.pipeline;

import dev.onboard.gateway.liveness.DeviceView;
import dev.onboard.gateway.liveness.PresenceRecord;
import dev.onboard.gateway.liveness.StateChange;
import dev.onboard.gateway.liveness.TrackedDevice;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.uplink.LineProtocol;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what the gateway knows into points of the central store's schema (README › Central store):
 * {@code telemetry}, {@code device_status}, {@code gateway_heartbeat}. Every point carries the tags
 * {@code gateway}, {@code enterprise}, {@code device}, {@code protocol}, and a timestamp fixed by
 * the data itself, so a point delivered twice overwrites itself.
 *
 * <p>Telemetry is the hot path (every sample): the escaped measurement and tags of each (device,
 * signal) series are built once and kept, so a sample costs only its fields. At most {@value
 * #MAX_SERIES} series are kept; samples of further series are encoded in full, which is slower but
 * identical.
 *
 * <p>Thread-safety: safe for concurrent use; each thread builds with its own {@link LineProtocol}.
 */
public final class PointEncoder {

  /**
   * Series keys kept: enough for every signal of a large plant, bounded against unbounded names.
   */
  static final int MAX_SERIES = 100_000;

  // quality="GOOD" and the others, by Quality ordinal.
  private static final String[] QUALITY_FIELD =
      java.util.Arrays.stream(Quality.values())
          .map(q -> "quality=\"" + q.name() + "\"")
          .toArray(String[]::new);

  private final String gatewayId;
  private final int maxSeries;
  private final Map<String, TrackedDevice> devices = new HashMap<>();
  private final ThreadLocal<LineProtocol> builder = ThreadLocal.withInitial(LineProtocol::new);
  // device id → signal name → escaped "telemetry,device=…,tag=…" series key.
  private final Map<String, Map<String, String>> seriesKeys = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger seriesKept =
      new java.util.concurrent.atomic.AtomicInteger();

  public PointEncoder(String gatewayId, Iterable<TrackedDevice> inventory) {
    this(gatewayId, inventory, MAX_SERIES);
  }

  PointEncoder(String gatewayId, Iterable<TrackedDevice> inventory, int maxSeries) {
    this.gatewayId = gatewayId;
    this.maxSeries = maxSeries;
    inventory.forEach(d -> devices.put(d.id(), d));
  }

  /**
   * A reading as {@code telemetry}: tag {@code tag} is the signal's name; the value goes to a field
   * named for its type ({@code value} for decimals, {@code value_int}, {@code value_bool}, {@code
   * value_str}) so a signal that changes type cannot make InfluxDB refuse it; {@code quality} is
   * GOOD, UNCERTAIN, BAD or STALE (a dead device's last value re-sent at its death). Stamped with
   * the equipment's source time. No per-sample clock skew: InfluxDB's CPU per point grows with each
   * field, and the skew is kept where it is used, as {@code max_clock_skew_ms} per device per
   * minute in {@code device_presence} and as the device's CLOCK_SKEW flag.
   */
  public String telemetry(Reading r) {
    String key = seriesKey(r.deviceId(), r.tag());
    Object v = r.value();
    String value;
    if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
      value = " value=" + d.doubleValue() + ",";
    } else if (v instanceof Long l) {
      value = " value_int=" + l.longValue() + "i,";
    } else if (v instanceof Boolean b) {
      value = " value_bool=" + b.booleanValue() + ",";
    } else if (v instanceof String) {
      return telemetryWithText(key, r); // text needs escaping
    } else {
      value = " "; // no value (BAD quality), or one InfluxDB cannot store
    }
    long source = r.sourceTime().toEpochMilli();
    // Numbers and names that need no escaping, written as LineProtocol writes them: one
    // concatenation sizes the line exactly, with no builder to find or grow per sample.
    return key
        + value
        + QUALITY_FIELD[r.quality().ordinal()]
        + (r.historical() ? ",historical=true " : " ")
        + source;
  }

  private String telemetryWithText(String seriesKey, Reading r) {
    LineProtocol lp = builder.get().series(seriesKey).field("value_str", (String) r.value());
    lp.field("quality", r.quality().name());
    if (r.historical()) {
      lp.field("historical", true);
    }
    return lp.at(r.sourceTime().toEpochMilli());
  }

  /** A state change as {@code device_status}, stamped when it happened. */
  public String status(StateChange c, DeviceView now) {
    LineProtocol lp =
        deviceTags(builder.get().measurement("device_status"), c.deviceId())
            .field("state", c.to().name())
            .field("previous", c.from().name())
            .field("cause", c.cause());
    if (now.lastSeen() != null) {
      lp.field("last_seen_ms", now.lastSeen().toEpochMilli());
    }
    lp.field("flags", String.join("; ", now.flags()));
    return lp.at(c.at().toEpochMilli());
  }

  /**
   * A device's presence in one minute as {@code device_presence}, stamped at the minute's start:
   * {@code observed_ms} (how much of the minute the gateway watched), {@code online_ms}, {@code
   * online_seconds}, {@code good_samples}, {@code value_changes}, {@code max_clock_skew_ms}.
   */
  public String presence(PresenceRecord p) {
    return deviceTags(builder.get().measurement("device_presence"), p.deviceId())
        .field("observed_ms", p.observedMillis())
        .field("online_ms", p.onlineMillis())
        .field("online_seconds", p.onlineMillis() / 1000.0)
        .field("good_samples", p.goodSamples())
        .field("value_changes", p.valueChanges())
        .field("max_clock_skew_ms", p.maxClockSkewMillis())
        .at(p.minuteStart().toEpochMilli());
  }

  /** A signed ledger checkpoint as {@code ledger_checkpoint}, stamped when it was signed. */
  public String checkpoint(dev.onboard.gateway.ledger.Checkpoint c) {
    return builder
        .get()
        .measurement("ledger_checkpoint")
        .tag("gateway", gatewayId)
        .field("tree_size", c.treeSize())
        .field("root", c.rootHex())
        .field("signature", c.signatureBase64())
        .at(c.time().toEpochMilli());
  }

  /**
   * The gateway's own heartbeat, {@code gateway_heartbeat}: devices per state and outbox depth,
   * stamped at the heartbeat's tick (a multiple of its interval).
   */
  public String heartbeat(
      long tickMillis, Map<String, Long> countsByState, long outboxDepth, long droppedTelemetry) {
    LineProtocol lp = builder.get().measurement("gateway_heartbeat").tag("gateway", gatewayId);
    countsByState.forEach(
        (state, n) -> lp.field("devices_" + state.toLowerCase(java.util.Locale.ROOT), n));
    return lp.field("outbox_depth", outboxDepth)
        .field("dropped_telemetry", droppedTelemetry)
        .at(tickMillis);
  }

  /** The escaped measurement and tags of a telemetry series, kept after the first time. */
  private String seriesKey(String deviceId, String tag) {
    Map<String, String> byTag = seriesKeys.get(deviceId);
    String key = byTag == null ? null : byTag.get(tag);
    if (key != null) {
      return key;
    }
    key = deviceTags(builder.get().measurement("telemetry"), deviceId).tag("tag", tag).seriesKey();
    if (seriesKept.get() < maxSeries) {
      if (byTag == null) {
        byTag = seriesKeys.computeIfAbsent(deviceId, d -> new ConcurrentHashMap<>());
      }
      if (byTag.putIfAbsent(tag, key) == null) {
        seriesKept.incrementAndGet();
      }
    }
    return key;
  }

  private LineProtocol deviceTags(LineProtocol lp, String deviceId) {
    TrackedDevice d = devices.get(deviceId);
    // Tags in key order, as InfluxDB stores them.
    lp.tag("device", deviceId);
    if (d != null) {
      lp.tag("enterprise", d.enterpriseId());
    }
    lp.tag("gateway", gatewayId);
    if (d != null) {
      lp.tag("protocol", d.protocol());
    }
    return lp;
  }
}
