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

  // quality="GOOD" and the others, by Quality ordinal, as UTF-8.
  private static final byte[][] QUALITY_FIELD =
      java.util.Arrays.stream(Quality.values())
          .map(q -> ascii("quality=\"" + q.name() + "\""))
          .toArray(byte[][]::new);

  private static final byte[] VALUE = ascii(" value=");
  private static final byte[] VALUE_INT = ascii(" value_int=");
  private static final byte[] INT_END = ascii("i,");
  private static final byte[] VALUE_TRUE = ascii(" value_bool=true,");
  private static final byte[] VALUE_FALSE = ascii(" value_bool=false,");
  private static final byte[] COMMA = ascii(",");
  private static final byte[] SPACE = ascii(" ");
  private static final byte[] HISTORICAL = ascii(",historical=true ");

  private final String gatewayId;
  private final int maxSeries;
  private final Map<String, TrackedDevice> devices = new HashMap<>();
  private final ThreadLocal<LineProtocol> builder = ThreadLocal.withInitial(LineProtocol::new);
  // device id → signal name → escaped "telemetry,device=…,tag=…" series key, UTF-8.
  private final Map<String, Map<String, byte[]>> seriesKeys = new ConcurrentHashMap<>();
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
    LineBuffer line = new LineBuffer();
    telemetry(r, line);
    return line.line(0);
  }

  /**
   * Appends {@link #telemetry(Reading)}'s line to {@code out} as UTF-8 and ends it there: the hot
   * path, which allocates nothing for a number or a boolean.
   */
  void telemetry(Reading r, LineBuffer out) {
    byte[] key = seriesKey(r.deviceId(), r.tag());
    Object v = r.value();
    out.put(key);
    // Numbers and names that need no escaping, written as LineProtocol writes them.
    if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
      out.put(VALUE).decimal(d.doubleValue()).put(COMMA);
    } else if (v instanceof Long l) {
      out.put(VALUE_INT).decimal(l.longValue()).put(INT_END);
    } else if (v instanceof Boolean b) {
      out.put(b ? VALUE_TRUE : VALUE_FALSE);
    } else if (v instanceof String text) {
      // Text needs escaping: LineProtocol writes the fields after the (empty) series key.
      LineProtocol lp = builder.get().series("").field("value_str", text);
      lp.field("quality", r.quality().name());
      if (r.historical()) {
        lp.field("historical", true);
      }
      out.utf8(lp.at(r.sourceTime().toEpochMilli())).endLine();
      return;
    } else {
      out.put(SPACE); // no value (BAD quality), or one InfluxDB cannot store
    }
    out.put(QUALITY_FIELD[r.quality().ordinal()])
        .put(r.historical() ? HISTORICAL : SPACE)
        .decimal(r.sourceTime().toEpochMilli())
        .endLine();
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
  private byte[] seriesKey(String deviceId, String tag) {
    Map<String, byte[]> byTag = seriesKeys.get(deviceId);
    byte[] key = byTag == null ? null : byTag.get(tag);
    if (key != null) {
      return key;
    }
    key =
        deviceTags(builder.get().measurement("telemetry"), deviceId)
            .tag("tag", tag)
            .seriesKey()
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
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

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
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
