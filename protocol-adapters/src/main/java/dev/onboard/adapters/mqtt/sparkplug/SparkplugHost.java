package dev.onboard.adapters.mqtt.sparkplug;

import dev.onboard.adapters.mqtt.sparkplug.SparkplugMetric.ValueKind;
import dev.onboard.adapters.mqtt.sparkplug.SparkplugTopic.MessageType;
import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.DeviceIdentity;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as a Sparkplug B host application: follows every edge node of the inventory's groups
 * and turns its messages into readings and device events.
 *
 * <ul>
 *   <li><b>Births.</b> NBIRTH starts a session: its {@code bdSeq} metric, its {@code seq} and the
 *       node's metric aliases; DBIRTH declares a device's aliases. A birth is a {@link
 *       DeviceEvent.Birth} and an {@link DeviceEvent.IdentityObserved} (Sparkplug ids and the
 *       serial, manufacturer and model metrics), and its metrics are readings.
 *   <li><b>bdSeq.</b> NDEATH (the edge node's Will) ends the session only when its {@code bdSeq}
 *       matches the session's NBIRTH: a late Will of an older session is counted and ignored. A
 *       death makes the node and every inventory device under it {@link DeviceEvent.Death}, DDEATH
 *       one device; first each dead device's last known live values are sent again as {@link
 *       Quality#STALE} readings stamped with the death time (never online time).
 *   <li><b>seq.</b> Every message after NBIRTH carries the next {@code seq} (0–255, wrapping). One
 *       that comes early waits, with the ones after it, for at most the reorder timeout; if the
 *       missing message arrives they are handled in order, otherwise the devices are flagged {@link
 *       DeviceEvent.Flag#SEQUENCE_GAP}, the waiting messages are handled, and the node is asked to
 *       rebirth ({@code NCMD} {@code Node Control/Rebirth}). seq wraps, so 130 behind and 126 ahead
 *       are the same number: the payload timestamp decides. A message stamped before the last one
 *       handled in order (or, with no later stamp, one whose seq is behind) is a replay: refused
 *       and flagged {@link DeviceEvent.Flag#REPLAYED_SEQUENCE}, without a rebirth request, since
 *       nothing was lost; only if nothing but replays comes for the reorder timeout is the node
 *       asked to rebirth. A message stamped after the last one handled is never a replay, even with
 *       its seq more than 128 ahead: that is a gap. Without timestamps a seq behind is a replay and
 *       asks for a rebirth. A QoS 1 redelivery, marked duplicate by the broker, of a message
 *       already handled is dropped quietly.
 *   <li><b>Unknown sessions.</b> Data from a node or device whose birth this host has not seen (the
 *       gateway started later, or missed it) is dropped and the node is asked to rebirth.
 *   <li><b>Connection lost.</b> After the gateway's own connection drops, every session is unknown
 *       again (deaths and births may have been missed): each node is asked to rebirth.
 *   <li><b>Rebirth requests</b> go out at most once per {@code rebirthInterval} per node; one that
 *       comes sooner is owed and sent when the interval has passed, unless a birth came first.
 *   <li><b>Historical.</b> {@code is_historical} metrics become readings marked historical: stored,
 *       never online time.
 *   <li><b>Bad input</b> (not protobuf, no seq or bdSeq, an alias no birth declared, a value that
 *       does not fit its type, oversize) is handed to {@link Output#refuse}; the good metrics of a
 *       message are still delivered.
 * </ul>
 *
 * <p>Time never comes from a system clock: the caller passes {@code now} with each message, and
 * {@link #tick(Instant)} closes reorder windows that ran out, so tests move time by hand.
 *
 * <p>Thread-safety: {@link #message} and {@link #tick} are synchronized (one MQTT callback thread
 * and one timer call them); the counters may be read from any thread.
 */
public final class SparkplugHost {

  /** Where the host's results go; the adapter implements it. Called under the host's lock. */
  public interface Output {
    /**
     * Readings that arrived together (one message's metrics, one death's stale values), in order,
     * in one call, so the gateway can store them with one write. The list is the host's no longer:
     * the receiver may keep it.
     */
    void readings(List<Reading> readings);

    void event(DeviceEvent event);

    /**
     * A message, or part of it, the host could not use: count it under {@code countKey} and {@code
     * reason}, keep it in the dead letters, and flag {@code deviceId} (null when the message is
     * about no inventory device).
     */
    void refuse(
        String deviceId,
        String countKey,
        String topic,
        byte[] payload,
        String reason,
        String detail,
        DeviceEvent.Flag flag);

    /** Publishes at QoS 0, not retained; false when the client could not take it. */
    boolean publish(String topic, byte[] payload);
  }

  /** Refusal reasons, counted per device. */
  public static final String BAD_PROTOBUF = "BAD_PROTOBUF";

  public static final String MISSING_FIELD = "MISSING_FIELD";
  public static final String WRONG_TYPE = "WRONG_TYPE";
  public static final String UNKNOWN_ALIAS = "UNKNOWN_ALIAS";
  public static final String OVERSIZE = "OVERSIZE";
  public static final String REPLAYED = "REPLAYED";

  private static final Logger log = LoggerFactory.getLogger(SparkplugHost.class);
  private static final String BD_SEQ = "bdSeq";
  private static final int MAX_ROUTES = 4096;

  private final String sourceId;
  private final SparkplugSettings settings;
  private final SparkplugDirectory directory;
  private final Output out;
  private final int maxPayloadBytes;
  private final Map<String, EdgeNode> nodes = new HashMap<>();
  private final Map<String, DeviceIdentity> lastIdentity = new HashMap<>();
  private final Map<String, Route> routes = new HashMap<>();
  private final Counters counters = new Counters();

  public SparkplugHost(
      String sourceId,
      SparkplugSettings settings,
      SparkplugDirectory directory,
      Output out,
      int maxPayloadBytes) {
    this.sourceId = sourceId;
    this.settings = settings;
    this.directory = directory;
    this.out = out;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /** One filter per group of the inventory: {@code spBv1.0/<group>/#}. */
  public List<String> filters() {
    List<String> f = new ArrayList<>();
    for (String g : directory.groups()) {
      f.add(SparkplugTopic.NAMESPACE + "/" + g + "/#");
    }
    return f;
  }

  /** True if the topic is in this host's namespace (it may still be ignored, e.g. STATE). */
  public static boolean handles(String topic) {
    return topic.startsWith(SparkplugTopic.NAMESPACE + "/");
  }

  /** What the host counted so far. */
  public Counters counters() {
    return counters;
  }

  /**
   * Handles one message.
   *
   * @param duplicate the broker marked it a redelivery (MQTT DUP)
   * @param now the receive time
   */
  public synchronized void message(String topic, byte[] payload, boolean duplicate, Instant now) {
    Route route = route(topic);
    if (route == null
        || route.topic.type() == MessageType.NCMD
        || route.topic.type() == MessageType.DCMD) {
      // STATE, commands (ours included) and topics that are not an edge node's.
      return;
    }
    SparkplugTopic t = route.topic;
    Incoming in = new Incoming(t, topic, payload, route.deviceId, route.countKey, duplicate, now);
    if (route.unmatched) {
      counters.unmatched++;
      return;
    }
    if (payload.length > maxPayloadBytes) {
      refuse(
          in,
          OVERSIZE,
          payload.length + " bytes, more than maxPayloadBytes " + maxPayloadBytes,
          DeviceEvent.Flag.MALFORMED_PAYLOAD);
      return;
    }
    try {
      in.payload = SparkplugDecoder.decode(payload);
    } catch (SparkplugFormatException e) {
      refuse(in, BAD_PROTOBUF, "not a Sparkplug B payload: " + e.getMessage(), null);
      return;
    }
    EdgeNode node = nodes.get(route.nodeKey);
    if (node == null) {
      node = new EdgeNode(t);
      nodes.put(route.nodeKey, node);
    }
    switch (t.type()) {
      case NBIRTH -> nodeBirth(node, in);
      case NDEATH -> nodeDeath(node, in);
      default -> sequenced(node, in);
    }
  }

  /**
   * What a topic says, parsed and looked up in the directory once: an edge node publishes on the
   * same few topics all day, and splitting and concatenating them for every message was a tenth of
   * the host's own time. Null for a topic that is not an edge node's.
   */
  private Route route(String topic) {
    Route r = routes.get(topic);
    if (r != null) {
      return r;
    }
    SparkplugTopic t = SparkplugTopic.parse(topic);
    if (t == null) {
      return null;
    }
    String deviceId = directory.find(t.group(), t.edgeNode(), t.device());
    r =
        new Route(
            t,
            deviceId,
            deviceId != null
                ? deviceId
                : SparkplugDirectory.path(t.group(), t.edgeNode(), t.device()),
            SparkplugDirectory.path(t.group(), t.edgeNode(), null),
            deviceId == null && directory.devicesOf(t.group(), t.edgeNode()).isEmpty());
    if (routes.size() >= MAX_ROUTES) {
      // Bounded whatever a client publishes under the groups' namespace.
      routes.clear();
    }
    routes.put(topic, r);
    return r;
  }

  /**
   * The connection to the broker was lost: whatever happened meanwhile (deaths, births, data) was
   * missed, so no session is trusted any more. The first message of each node after the reconnect
   * asks it to rebirth, at once.
   */
  public synchronized void connectionLost() {
    for (EdgeNode node : nodes.values()) {
      node.born = false;
      node.clearPending();
      node.devices.clear();
      node.lastRebirth = null;
      node.rebirthOwed = null;
    }
  }

  /** Closes every reorder window older than the reorder timeout; the caller's timer calls it. */
  public synchronized void tick(Instant now) {
    for (EdgeNode node : nodes.values()) {
      if (node.gapSince != null && !now.isBefore(node.gapSince.plus(settings.reorderTimeout()))) {
        closeGap(node, now);
      }
      if (node.replaySince != null
          && !now.isBefore(node.replaySince.plus(settings.reorderTimeout()))) {
        String why = "only replayed messages since " + node.replaySince;
        node.replaySince = null;
        requestRebirth(node, now, why);
      }
      if (node.rebirthOwed != null) {
        requestRebirth(node, now, node.rebirthOwed);
      }
    }
  }

  private void nodeBirth(EdgeNode node, Incoming in) {
    SparkplugMetric bdSeq = in.payload.metric(BD_SEQ);
    String missing =
        !in.payload.hasSeq()
            ? "NBIRTH has no seq"
            : bdSeq == null || !isInteger(bdSeq) ? "NBIRTH has no integer bdSeq metric" : null;
    if (missing != null) {
      node.born = false;
      node.clearPending();
      refuse(in, MISSING_FIELD, missing, null);
      requestRebirth(node, in.now, "its NBIRTH was malformed");
      return;
    }
    node.born = true;
    node.rebirthOwed = null;
    node.bdSeq = bdSeq.bits();
    node.expected = (int) ((in.payload.seq() + 1) & 0xFF);
    node.lastTime = in.payload.hasTimestamp() ? in.payload.timestamp() : null;
    node.clearPending();
    node.metrics.clear();
    node.devices.clear();
    // A new session: its births bring every current value again.
    node.lastValues.clear();
    node.metrics.declare(in.payload);
    counters.births++;
    if (in.deviceId != null) {
      out.event(new DeviceEvent.Birth(in.deviceId, in.now));
      identity(in, null);
    }
    readings(node, in, node.metrics);
  }

  private void nodeDeath(EdgeNode node, Incoming in) {
    SparkplugMetric bdSeq = in.payload.metric(BD_SEQ);
    if (bdSeq == null || !isInteger(bdSeq)) {
      // Not conforming, but only the node's own Will says it died: believe it.
      refuse(in, MISSING_FIELD, "NDEATH has no integer bdSeq metric", null);
    } else if (node.born && bdSeq.bits() != node.bdSeq) {
      counters.lateDeathsIgnored++;
      log.info(
          "source {}: ignored NDEATH of edge node {} with bdSeq {}: the current session has {}",
          sourceId,
          node.path,
          bdSeq.bits(),
          node.bdSeq);
      return;
    }
    node.born = false;
    node.clearPending();
    node.devices.clear();
    counters.deaths++;
    String cause = bdSeq == null ? "NDEATH" : "NDEATH bdSeq " + bdSeq.bits();
    for (String id : directory.devicesOf(node.group, node.edgeNode)) {
      die(node, id, in.now, cause);
    }
    node.lastValues.clear();
  }

  /**
   * One device is dead: its last known values become {@link Quality#STALE} readings stamped with
   * the death time, so the telemetry shows when they stopped being current; then the death.
   */
  private void die(EdgeNode node, String deviceId, Instant now, String cause) {
    LastValues last = node.lastValues.remove(deviceId);
    int stale = 0;
    if (last != null) {
      List<Reading> values = new ArrayList<>();
      last.forEach(
          (name, value) ->
              values.add(new Reading(deviceId, name, value, now, now, Quality.STALE, false)));
      stale = values.size();
      if (stale > 0) {
        out.readings(values);
      }
      counters.staleReadings += stale;
    }
    out.event(
        new DeviceEvent.Death(
            deviceId,
            now,
            stale == 0 ? cause : cause + "; last values of " + stale + " metrics STALE"));
  }

  /** Every message after NBIRTH except NDEATH: seq checked, then handled in order. */
  private void sequenced(EdgeNode node, Incoming in) {
    if (!in.payload.hasSeq() || in.payload.seq() < 0 || in.payload.seq() > 255) {
      refuse(
          in,
          MISSING_FIELD,
          in.payload.hasSeq()
              ? "seq " + in.payload.seq() + " is not 0-255"
              : in.topic.type() + " has no seq",
          null);
      return;
    }
    if (!node.born) {
      counters.droppedBeforeBirth++;
      requestRebirth(node, in.now, "it sent " + in.topic.type() + " without a birth this host saw");
      return;
    }
    int seq = (int) in.payload.seq();
    int ahead = (seq - node.expected) & 0xFF;
    if (ahead == 0) {
      handle(node, in);
      node.expected = (seq + 1) & 0xFF;
      drain(node);
      return;
    }
    // seq alone cannot tell 130 behind from 126 ahead: the payload timestamp can. The node stamps
    // its messages in order, so one older than the last handled was sent before it.
    boolean hasTime = in.payload.hasTimestamp() && node.lastTime != null;
    long time = in.payload.hasTimestamp() ? in.payload.timestamp() : 0;
    boolean older = hasTime && time < node.lastTime;
    boolean newer = hasTime && time > node.lastTime;
    if (in.duplicate && (older || (ahead >= 128 && !newer))) {
      counters.duplicatesDropped++;
    } else if (!older && (ahead < 128 || newer)) {
      // Early (or, when newer than everything handled, a jump of more than 128): wait for the gap.
      if (node.pending[seq] == null) {
        node.pendingCount++;
      }
      node.pending[seq] = in;
      if (node.gapSince == null) {
        node.gapSince = in.now;
      }
    } else {
      counters.replays++;
      String detail =
          "seq "
              + seq
              + (older
                  ? " stamped " + Instant.ofEpochMilli(time) + ", before the last handled message"
                  : " was already handled")
              + " (expected "
              + node.expected
              + ")";
      refuse(in, REPLAYED, detail, DeviceEvent.Flag.REPLAYED_SEQUENCE);
      if (hasTime) {
        // An old message again loses nothing: no rebirth. Only if nothing else comes in order
        // for the reorder timeout (a node whose clock jumped back?) does tick() ask for one.
        if (node.replaySince == null) {
          node.replaySince = in.now;
        }
      } else {
        requestRebirth(node, in.now, "it sent seq " + seq + " again");
      }
    }
  }

  /** Handles waiting messages that are now next in line. */
  private void drain(EdgeNode node) {
    while (node.pendingCount > 0 && node.pending[node.expected] != null) {
      Incoming next = node.pending[node.expected];
      node.pending[node.expected] = null;
      node.pendingCount--;
      handle(node, next);
      node.expected = (node.expected + 1) & 0xFF;
    }
    if (node.pendingCount == 0) {
      node.gapSince = null;
    }
  }

  /** The reorder timeout ran out: flag, ask for a rebirth, handle what waited, in seq order. */
  private void closeGap(EdgeNode node, Instant now) {
    int first = node.expected;
    int skipped = 0;
    while (node.pending[node.expected] == null) {
      node.expected = (node.expected + 1) & 0xFF;
      skipped++;
    }
    counters.gaps++;
    String detail =
        skipped == 1
            ? "edge node " + node.path + " never sent seq " + first
            : "edge node "
                + node.path
                + " never sent seq "
                + first
                + " to "
                + ((first + skipped - 1) & 0xFF);
    for (String id : directory.devicesOf(node.group, node.edgeNode)) {
      out.event(new DeviceEvent.Flagged(id, now, DeviceEvent.Flag.SEQUENCE_GAP, detail));
    }
    requestRebirth(node, now, detail);
    node.gapSince = null;
    drain(node);
    if (node.pendingCount > 0) {
      // Another gap further on: its window starts now.
      node.gapSince = now;
    }
  }

  private void handle(EdgeNode node, Incoming in) {
    if (in.payload.hasTimestamp()) {
      node.lastTime = in.payload.timestamp();
    }
    node.replaySince = null;
    switch (in.topic.type()) {
      case NDATA -> readings(node, in, node.metrics);
      case DBIRTH -> {
        if (in.deviceId != null) {
          node.lastValues.remove(in.deviceId);
        }
        Metrics m = new Metrics();
        m.declare(in.payload);
        node.devices.put(in.topic.device(), m);
        if (in.deviceId != null) {
          out.event(new DeviceEvent.Birth(in.deviceId, in.now));
          identity(in, in.topic.device());
        }
        readings(node, in, m);
      }
      case DDATA -> {
        Metrics m = node.devices.get(in.topic.device());
        if (m == null) {
          counters.droppedBeforeBirth++;
          requestRebirth(
              node, in.now, "device " + in.topic.device() + " sent DDATA without a DBIRTH");
          return;
        }
        readings(node, in, m);
      }
      case DDEATH -> {
        node.devices.remove(in.topic.device());
        if (in.deviceId != null) {
          die(node, in.deviceId, in.now, "DDEATH");
        }
      }
      default -> {
        // NBIRTH and NDEATH never get here; commands were dropped on arrival.
      }
    }
  }

  private void identity(Incoming in, String device) {
    Map<String, String> id = new LinkedHashMap<>();
    id.put(DeviceIdentity.SPARKPLUG_GROUP, in.topic.group());
    id.put(DeviceIdentity.SPARKPLUG_EDGE_NODE, in.topic.edgeNode());
    if (device != null) {
      id.put(DeviceIdentity.SPARKPLUG_DEVICE, device);
    }
    putText(id, DeviceIdentity.SERIAL_NUMBER, in.payload.metric(settings.serialMetric()));
    putText(id, DeviceIdentity.MANUFACTURER, in.payload.metric(settings.manufacturerMetric()));
    putText(id, DeviceIdentity.MODEL, in.payload.metric(settings.modelMetric()));
    DeviceIdentity identity = new DeviceIdentity(id);
    if (!identity.equals(lastIdentity.put(in.deviceId, identity))) {
      out.event(new DeviceEvent.IdentityObserved(in.deviceId, in.now, identity));
    }
  }

  private static void putText(Map<String, String> id, String key, SparkplugMetric m) {
    if (m != null && m.kind() == ValueKind.STRING && !m.isNull()) {
      id.put(key, m.text());
    }
  }

  /** The message's metrics as readings of its inventory device; problems refused once. */
  private void readings(EdgeNode node, Incoming in, Metrics declared) {
    SparkplugPayload p = in.payload;
    String problemReason = null;
    String problemDetail = null;
    int problems = 0;
    List<Reading> batch = in.deviceId == null ? null : new ArrayList<>(p.metrics().size());
    // The device's last live values, looked up once per message rather than once per metric.
    LastValues last = null;
    // An edge node stamps a message's metrics alike: one Instant for all that share a stamp.
    Instant stamp = null;
    long stampMillis = 0;
    for (SparkplugMetric m : p.metrics()) {
      String name = m.name();
      int datatype = m.datatype();
      boolean control;
      Metrics.Declared d;
      if (name == null) {
        d = m.hasAlias() ? declared.byAlias.get(m.alias()) : null;
        if (d == null) {
          problems++;
          if (problemReason == null) {
            problemReason = m.hasAlias() ? UNKNOWN_ALIAS : MISSING_FIELD;
            problemDetail =
                m.hasAlias()
                    ? "alias " + m.alias() + " was not declared in the birth"
                    : "a metric has neither name nor alias";
          }
          continue;
        }
        name = d.name();
        datatype = reconcile(datatype, d.datatype());
        control = d.control();
      } else {
        d = declared.byName.get(name);
        datatype = reconcile(datatype, d == null ? 0 : d.datatype());
        control = isControl(name);
      }
      if (datatype < 0) {
        problems++;
        if (problemReason == null) {
          problemReason = WRONG_TYPE;
          problemDetail =
              name
                  + " is "
                  + DataTypes.name(m.datatype())
                  + " here but its birth declared "
                  + DataTypes.name(d.datatype());
        }
        continue;
      }
      if (control) {
        continue;
      }
      Object value;
      try {
        value = DataTypes.value(m, datatype);
      } catch (DataTypes.WrongType e) {
        problems++;
        if (problemReason == null) {
          problemReason = WRONG_TYPE;
          problemDetail = e.getMessage();
        }
        continue;
      }
      if (value == DataTypes.UNSUPPORTED) {
        counters.unsupportedMetrics++;
        continue;
      }
      if (in.deviceId == null) {
        continue;
      }
      Instant source = in.now;
      if (m.hasTimestamp() || p.hasTimestamp()) {
        long millis = m.hasTimestamp() ? m.timestamp() : p.timestamp();
        if (stamp == null || millis != stampMillis) {
          stamp = Instant.ofEpochMilli(millis);
          stampMillis = millis;
        }
        source = stamp;
      }
      Quality q = value == null ? Quality.BAD : quality(m.quality());
      batch.add(new Reading(in.deviceId, name, value, source, in.now, q, m.historical()));
      if (value != null && !m.historical()) {
        if (last == null) {
          last = node.lastValues.computeIfAbsent(in.deviceId, k -> new LastValues(declared));
        }
        last.put(d, name, value);
      }
    }
    // Readings first, then the refusal, as when they were handed over one by one.
    if (batch != null && !batch.isEmpty()) {
      out.readings(batch);
    }
    if (problemReason != null) {
      refuse(
          in,
          problemReason,
          problems == 1 ? problemDetail : problems + " metrics refused; first: " + problemDetail,
          null);
    }
  }

  /** The type to read a metric as: its own, else its birth's; -1 when they contradict. */
  private static int reconcile(int own, int declared) {
    if (own == 0) {
      return declared;
    }
    return declared == 0 || declared == own ? own : -1;
  }

  private static boolean isControl(String name) {
    return name.equals(BD_SEQ)
        || name.startsWith("Node Control/")
        || name.startsWith("Device Control/");
  }

  /** OPC-style quality codes as Ignition sends them: 192 and up good, 64–191 uncertain. */
  private static Quality quality(Long code) {
    if (code == null || code >= 192) {
      return Quality.GOOD;
    }
    return code >= 64 ? Quality.UNCERTAIN : Quality.BAD;
  }

  private static boolean isInteger(SparkplugMetric m) {
    return m.kind() == ValueKind.INT || m.kind() == ValueKind.LONG;
  }

  /**
   * Asks the node to rebirth, at most once per rebirth interval: a request that comes too soon is
   * owed and sent by {@link #tick} when the interval has passed (unless a birth came first).
   */
  private void requestRebirth(EdgeNode node, Instant now, String why) {
    if (node.lastRebirth != null
        && Duration.between(node.lastRebirth, now).compareTo(settings.rebirthInterval()) < 0) {
      node.rebirthOwed = why;
      return;
    }
    node.rebirthOwed = null;
    node.lastRebirth = now;
    boolean sent =
        out.publish(
            SparkplugTopic.nodeCommand(node.group, node.edgeNode),
            SparkplugEncoder.rebirthRequest(now.toEpochMilli()));
    if (sent) {
      counters.rebirthRequests++;
      log.info("source {}: asked edge node {} to rebirth: {}", sourceId, node.path, why);
    } else {
      // Not connected: the next message after reconnecting may ask again.
      node.lastRebirth = null;
    }
  }

  private void refuse(Incoming in, String reason, String detail, DeviceEvent.Flag flag) {
    out.refuse(
        in.deviceId,
        in.countKey,
        in.rawTopic,
        in.raw,
        reason,
        detail,
        flag == null ? DeviceEvent.Flag.MALFORMED_PAYLOAD : flag);
  }

  /** One received message on its way through the host. */
  /**
   * A topic's parts and whom it is about.
   *
   * @param deviceId the inventory device, or null
   * @param countKey what refusals are counted under: the device, else the Sparkplug path
   * @param nodeKey the edge node's {@code group/edgeNode}
   * @param unmatched neither the device nor any other of its edge node is in the inventory
   */
  private record Route(
      SparkplugTopic topic, String deviceId, String countKey, String nodeKey, boolean unmatched) {}

  private static final class Incoming {
    final SparkplugTopic topic;
    final String rawTopic;
    final byte[] raw;
    final String deviceId;
    final String countKey;
    final boolean duplicate;
    final Instant now;
    SparkplugPayload payload;

    Incoming(
        SparkplugTopic topic,
        String rawTopic,
        byte[] raw,
        String deviceId,
        String countKey,
        boolean duplicate,
        Instant now) {
      this.topic = topic;
      this.rawTopic = rawTopic;
      this.raw = raw;
      this.deviceId = deviceId;
      this.countKey = countKey;
      this.duplicate = duplicate;
      this.now = now;
    }
  }

  /** The metrics a birth declared: alias → name and type, name → type. */
  private static final class Metrics {
    /**
     * control: a bdSeq or Node/Device Control metric, never a reading; index: its place among the
     * birth's names, where {@link LastValues} keeps its value.
     */
    record Declared(String name, int datatype, boolean control, int index) {}

    final AliasTable byAlias = new AliasTable();
    final Map<String, Declared> byName = new HashMap<>();
    final List<String> names = new ArrayList<>();

    void declare(SparkplugPayload birth) {
      for (SparkplugMetric m : birth.metrics()) {
        if (m.name() == null) {
          continue;
        }
        Declared previous = byName.get(m.name());
        Declared d =
            new Declared(
                m.name(),
                m.datatype(),
                isControl(m.name()),
                previous != null ? previous.index() : names.size());
        if (previous == null) {
          names.add(m.name());
        }
        byName.put(m.name(), d);
        if (m.hasAlias()) {
          byAlias.put(m.alias(), d);
        }
      }
    }

    void clear() {
      byAlias.clear();
      byName.clear();
      names.clear();
    }
  }

  /**
   * A device's last live value of each metric, made STALE when it dies: in an array by the birth's
   * index (a map put per metric was a tenth of the host's time), a metric its birth did not declare
   * in a map. Read back in the birth's order, then the undeclared ones in arrival order. Lives only
   * as long as the {@link Metrics} it indexes: a birth replaces both.
   */
  private static final class LastValues {
    private final Metrics metrics;
    private final Object[] byIndex;
    private Map<String, Object> undeclared;

    LastValues(Metrics metrics) {
      this.metrics = metrics;
      this.byIndex = new Object[metrics.names.size()];
    }

    /** {@code declared}: what the birth said of {@code name}, null when it did not. */
    void put(Metrics.Declared declared, String name, Object value) {
      int i = declared == null ? -1 : declared.index();
      // The name check keeps a value from ever landing under another metric's name.
      if (i >= 0 && i < byIndex.length && metrics.names.get(i).equals(name)) {
        byIndex[i] = value;
      } else {
        if (undeclared == null) {
          undeclared = new LinkedHashMap<>();
        }
        undeclared.put(name, value);
      }
    }

    void forEach(java.util.function.BiConsumer<String, Object> action) {
      for (int i = 0; i < byIndex.length; i++) {
        if (byIndex[i] != null) {
          action.accept(metrics.names.get(i), byIndex[i]);
        }
      }
      if (undeclared != null) {
        undeclared.forEach(action);
      }
    }
  }

  /**
   * Alias → what the birth declared: an open-addressing table of primitive longs, since a {@code
   * HashMap<Long, …>} boxed every alias of every metric looked up (aliases above 127 are a new
   * {@code Long} each) and was a tenth of the gateway's samples at 100,000 metrics/s. Not
   * thread-safe (the host's lock guards it).
   */
  private static final class AliasTable {
    private long[] keys = new long[16];
    private Metrics.Declared[] values = new Metrics.Declared[16];
    private int size;

    Metrics.Declared get(long alias) {
      int mask = keys.length - 1;
      for (int i = slot(alias, mask); ; i = (i + 1) & mask) {
        Metrics.Declared d = values[i];
        if (d == null || keys[i] == alias) {
          return d;
        }
      }
    }

    /** Declares {@code alias}, replacing what an earlier metric of the same birth declared. */
    void put(long alias, Metrics.Declared declared) {
      if (2 * (size + 1) > keys.length) {
        long[] oldKeys = keys;
        Metrics.Declared[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Metrics.Declared[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
          if (oldValues[i] != null) {
            put(oldKeys[i], oldValues[i]);
          }
        }
      }
      int mask = keys.length - 1;
      int i = slot(alias, mask);
      while (values[i] != null && keys[i] != alias) {
        i = (i + 1) & mask;
      }
      if (values[i] == null) {
        size++;
      }
      keys[i] = alias;
      values[i] = declared;
    }

    void clear() {
      java.util.Arrays.fill(values, null);
      size = 0;
    }

    private static int slot(long alias, int mask) {
      // Fibonacci hashing: consecutive aliases (101, 102, …) spread over the table.
      return (int) ((alias * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
  }

  /** What the host knows of one edge node's session. */
  private static final class EdgeNode {
    final String group;
    final String edgeNode;
    final String path;
    final Metrics metrics = new Metrics();
    final Map<String, Metrics> devices = new HashMap<>();
    // Inventory device id → metric name → its last live value, made STALE when the device dies.
    final Map<String, LastValues> lastValues = new HashMap<>();
    final Incoming[] pending = new Incoming[256];
    int pendingCount;
    boolean born;
    long bdSeq;
    int expected;
    Instant gapSince;
    // Payload timestamp (epoch ms) of the last message handled in seq order; null if none had one.
    Long lastTime;
    // When the first of a run of replays came with nothing handled in order since; null if none.
    Instant replaySince;
    Instant lastRebirth;
    // Why a rebirth is still to be asked for (the last request was too recent); null if none.
    String rebirthOwed;

    EdgeNode(SparkplugTopic t) {
      this.group = t.group();
      this.edgeNode = t.edgeNode();
      this.path = t.group() + "/" + t.edgeNode();
    }

    void clearPending() {
      if (pendingCount > 0) {
        java.util.Arrays.fill(pending, null);
        pendingCount = 0;
      }
      gapSince = null;
      replaySince = null;
    }
  }

  /**
   * What the host counted. Written under the host's lock, read from any thread (values may lag a
   * moment).
   */
  public static final class Counters {
    volatile long births;
    volatile long deaths;
    volatile long lateDeathsIgnored;
    volatile long rebirthRequests;
    volatile long gaps;
    volatile long replays;
    volatile long duplicatesDropped;
    volatile long droppedBeforeBirth;
    volatile long unsupportedMetrics;
    volatile long unmatched;
    volatile long staleReadings;

    /** NBIRTHs accepted. */
    public long births() {
      return births;
    }

    /** NDEATHs applied. */
    public long deaths() {
      return deaths;
    }

    /** NDEATHs whose bdSeq did not match the session: late Wills of older sessions. */
    public long lateDeathsIgnored() {
      return lateDeathsIgnored;
    }

    /** NCMD {@code Node Control/Rebirth} messages published. */
    public long rebirthRequests() {
      return rebirthRequests;
    }

    /** Seq gaps whose missing messages never came within the reorder timeout. */
    public long gaps() {
      return gaps;
    }

    /** Messages whose seq had already been handled, not marked as redeliveries. */
    public long replays() {
      return replays;
    }

    /** QoS 1 redeliveries of messages already handled. */
    public long duplicatesDropped() {
      return duplicatesDropped;
    }

    /** Messages dropped because the node's or device's birth had not been seen. */
    public long droppedBeforeBirth() {
      return droppedBeforeBirth;
    }

    /** Metrics of types a reading cannot hold (bytes, data sets, templates, arrays). */
    public long unsupportedMetrics() {
      return unsupportedMetrics;
    }

    /** Last known values sent again as STALE because their node or device died. */
    public long staleReadings() {
      return staleReadings;
    }

    /** Messages from edge nodes with no inventory device. */
    public long unmatched() {
      return unmatched;
    }

    @Override
    public String toString() {
      return "births="
          + births
          + " deaths="
          + deaths
          + " lateDeathsIgnored="
          + lateDeathsIgnored
          + " rebirthRequests="
          + rebirthRequests
          + " gaps="
          + gaps
          + " replays="
          + replays
          + " duplicates="
          + duplicatesDropped
          + " droppedBeforeBirth="
          + droppedBeforeBirth;
    }
  }
}
