package dev.onboard.simulator.mqtt.sparkplug;

import dev.onboard.simulator.mqtt.SignalShape;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Sparkplug B edge node with its devices, on its own MQTT 3.1.1 connection (Paho v3), behaving as
 * the specification asks:
 *
 * <ul>
 *   <li>Each connection has a new {@code bdSeq} (0, 1, … wrapping at 256), in its Will (an NDEATH,
 *       QoS 1) and in the NBIRTH that follows the connect.
 *   <li>NBIRTH has seq 0; every later message (DBIRTH, NDATA, DDATA, DDEATH) the next seq, wrapping
 *       at 256.
 *   <li>After the births, every {@link EdgeNodeSpec#interval()} each device publishes a DDATA with
 *       its signals by alias, and every tenth round the node an NDATA with its uptime.
 *   <li>An NCMD {@code Node Control/Rebirth = true} makes it publish NBIRTH and every DBIRTH again
 *       (same bdSeq, seq from 0); it counts such requests ({@link #rebirthRequests()}).
 *   <li>A lost connection is retried every second, each time with the next bdSeq (it does not use
 *       Paho's automatic reconnect: the Will must change with every connect).
 * </ul>
 *
 * <p>Faults: {@link #kill()} (the broker publishes the NDEATH Will), {@link #disconnectQuietly()}
 * (DISCONNECT, no NDEATH: silence), {@link #skipSeq(int)}, {@link #replayOldData()}, {@link
 * #replayData(int)}, {@link #publishStaleDeath()}, {@link #deviceDeath(String)}, {@link
 * #publishRaw}, {@link #publishMalformed}, {@link #skew(Duration)}, {@link #freeze(boolean)},
 * {@link #reportSerial(String, String)}, {@link #publishHistorical}, {@link #namedData(boolean)}.
 *
 * <p>Thread-safety: all methods are safe from any thread.
 */
public final class SimulatedEdgeNode implements AutoCloseable {

  public static final String REBIRTH = "Node Control/Rebirth";

  private static final Logger log = LoggerFactory.getLogger(SimulatedEdgeNode.class);
  private static final long WAIT_MS = 10_000;
  // More than 128: a replay can reach back further than half the seq range.
  private static final int KEPT_DATA = 256;
  private static final long UNDECLARED_ALIAS = 999_999;
  // Just over the gateway's default maxPayloadBytes (256 KiB).
  private static final int OVERSIZE_BYTES = 257 * 1024;
  private static final long UPTIME_ALIAS = 1;
  private static final Duration RECONNECT_EVERY = Duration.ofSeconds(1);

  private final EdgeNodeSpec spec;
  private final String brokerUrl;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Random random;
  private final Map<String, double[]> phases = new LinkedHashMap<>();
  private final Map<String, String> serials = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong deviceMetrics = new AtomicLong();
  private final AtomicLong rebirthRequests = new AtomicLong();
  private final AtomicLong births = new AtomicLong();
  private final Deque<byte[][]> recentData = new ArrayDeque<>();

  private MqttAsyncClient client;
  private boolean wanted;
  private int bdSeq = -1;
  private int seq;
  private int skipPending;
  private long rounds;
  private ScheduledFuture<?> ticker;
  private ScheduledFuture<?> reconnect;
  private Duration skew = Duration.ZERO;
  private boolean frozen;
  private final Map<String, double[]> frozenValues = new LinkedHashMap<>();
  private int qos;
  private boolean namedData;
  // Devices that sent a DDEATH and publish nothing until the next birth.
  private final java.util.Set<String> deadDevices = new java.util.HashSet<>();

  /**
   * @param seed makes the signal noise and phases reproducible
   */
  public SimulatedEdgeNode(
      EdgeNodeSpec spec,
      String brokerUrl,
      ScheduledExecutorService scheduler,
      Clock clock,
      long seed) {
    this.spec = spec;
    this.brokerUrl = brokerUrl;
    this.scheduler = scheduler;
    this.clock = clock;
    this.random = new Random(seed);
    for (SparkplugDeviceSpec d : spec.devices()) {
      double[] p = new double[d.kind().signals().size()];
      for (int i = 0; i < p.length; i++) {
        p[i] = random.nextDouble() * 2 * Math.PI;
      }
      phases.put(d.name(), p);
      serials.put(d.name(), d.serial());
    }
  }

  public EdgeNodeSpec spec() {
    return spec;
  }

  /**
   * Connects, births and starts publishing; no-op if running. Tries again every 200 ms for at most
   * 10 s: a broker that has just started may drop a first connection.
   */
  public synchronized void start() {
    if (wanted) {
      return;
    }
    wanted = true;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    while (true) {
      try {
        connect();
        break;
      } catch (MqttException e) {
        closeClient();
        bdSeq = (bdSeq + 255) & 0xFF; // that connection never was: reuse its bdSeq
        if (System.nanoTime() > deadline) {
          wanted = false;
          throw new IllegalStateException(spec.edgeNode() + ": cannot connect to " + brokerUrl, e);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }
    long periodMicros = Math.max(1, spec.interval().toNanos() / 1000);
    ticker =
        scheduler.scheduleAtFixedRate(
            this::tick, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
  }

  /** Publishes NDEATH itself, then disconnects cleanly (so the broker does not send the Will). */
  public synchronized void stop() {
    if (!wanted) {
      return;
    }
    wanted = false;
    cancelTasks();
    if (client != null && client.isConnected()) {
      try {
        client
            .publish(spec.nodeTopic("NDEATH"), deathPayload(bdSeq), 1, false)
            .waitForCompletion(WAIT_MS);
        client.disconnect().waitForCompletion(WAIT_MS);
      } catch (MqttException e) {
        log.warn(
            "{}: clean stop failed ({}); dropping the connection", spec.edgeNode(), e.toString());
      }
    }
    closeClient();
  }

  /** Drops the TCP connection without DISCONNECT: the broker publishes the NDEATH Will. */
  public synchronized void kill() {
    wanted = false;
    cancelTasks();
    if (client != null) {
      try {
        client.disconnectForcibly(0, 1000, false);
      } catch (MqttException e) {
        log.debug("{}: forced disconnect: {}", spec.edgeNode(), e.toString());
      }
    }
    closeClient();
  }

  /** Disconnects cleanly without an NDEATH: the host hears nothing and must notice the silence. */
  public synchronized void disconnectQuietly() {
    wanted = false;
    cancelTasks();
    if (client != null && client.isConnected()) {
      try {
        client.disconnect().waitForCompletion(WAIT_MS);
      } catch (MqttException e) {
        log.debug("{}: quiet disconnect: {}", spec.edgeNode(), e.toString());
      }
    }
    closeClient();
  }

  public synchronized boolean isConnected() {
    return client != null && client.isConnected();
  }

  /** The bdSeq of the current (or last) connection. */
  public synchronized int bdSeq() {
    return bdSeq;
  }

  /** Publishes NBIRTH and every DBIRTH again, as a rebirth request would. */
  public synchronized void rebirth() {
    if (isConnected()) {
      birth();
    }
  }

  /** The next message's seq is {@code n} further on than it should be: a gap. */
  public synchronized void skipSeq(int n) {
    skipPending += n;
  }

  /** Publishes again the oldest of the last 256 DDATA messages, with its old seq and timestamp. */
  public synchronized void replayOldData() {
    replayData(recentData.size());
  }

  /**
   * Publishes again, with its old seq and timestamp, the DDATA message sent {@code back} DDATA
   * messages ago (1 = the last one; at most the 256 kept, fewer if fewer were sent).
   */
  public synchronized void replayData(int back) {
    if (recentData.isEmpty()) {
      throw new IllegalStateException(spec.edgeNode() + " has published no data yet");
    }
    if (back < 1) {
      throw new IllegalArgumentException("back must be at least 1, was " + back);
    }
    int skip = Math.max(0, recentData.size() - back);
    byte[][] old = recentData.stream().skip(skip).findFirst().orElseThrow();
    send(new String(old[0], java.nio.charset.StandardCharsets.UTF_8), old[1], qos);
  }

  /** The ways {@link #publishMalformed} breaks a DATA message. */
  public enum Malformation {
    /** Bytes that are no protobuf at all. */
    NOT_PROTOBUF,
    /** 257 KiB: more than the gateway's default {@code maxPayloadBytes}. */
    OVERSIZE,
    /** A metric by an alias no birth declared. */
    UNKNOWN_ALIAS,
    /** A string where the birth declared a number. */
    WRONG_TYPE,
    /** A payload without seq. */
    NO_SEQ;

    /** {@code not-protobuf}, {@code oversize}, {@code unknown-alias}, ... */
    public static Malformation parse(String text) {
      for (Malformation m : values()) {
        if (m.cliName().equals(text)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "unknown malformation '"
              + text
              + "'; use one of "
              + java.util.Arrays.stream(values()).map(Malformation::cliName).toList());
    }

    public String cliName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * Publishes a malformed DATA message at QoS 1 (a broker may drop a large QoS 0 message for a slow
   * subscriber, and this one must arrive): NDATA when {@code device} is null, else DDATA of that
   * device. The well-formed kinds take the next seq.
   */
  public synchronized void publishMalformed(String device, Malformation kind) {
    if (device != null) {
      requireDevice(device);
    }
    String topic = device == null ? spec.nodeTopic("NDATA") : spec.deviceTopic("DDATA", device);
    long now = clock.millis() + skew.toMillis();
    long known = device == null ? UPTIME_ALIAS : aliasOf(device, 0);
    byte[] payload =
        switch (kind) {
          case NOT_PROTOBUF ->
              "not protobuf at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          case OVERSIZE -> new byte[OVERSIZE_BYTES];
          case UNKNOWN_ALIAS ->
              SpEncoder.payload(
                  now,
                  (long) nextSeq(),
                  List.of(
                      new SpMetric(null, UNDECLARED_ALIAS, null, SpEncoder.DOUBLE, false, 1.0)));
          case WRONG_TYPE ->
              SpEncoder.payload(
                  now,
                  (long) nextSeq(),
                  List.of(new SpMetric(null, known, null, SpEncoder.STRING, false, "hot")));
          case NO_SEQ -> SpEncoder.payload(now, null, List.of());
        };
    send(topic, payload, 1);
  }

  /**
   * Publishes a DDEATH of one device (with the next seq): it publishes nothing more until the node
   * births again ({@link #rebirth()}, a rebirth request or a reconnect).
   */
  public synchronized void deviceDeath(String device) {
    requireDevice(device);
    long now = clock.millis() + skew.toMillis();
    if (send(
        spec.deviceTopic("DDEATH", device),
        SpEncoder.payload(now, (long) nextSeq(), List.of()),
        1)) {
      deadDevices.add(device);
    }
  }

  /** The serial a device reports in its births now. */
  public synchronized String serialOf(String device) {
    requireDevice(device);
    return serials.get(device);
  }

  /** Publishes an NDEATH with the previous connection's bdSeq: a late Will of an old session. */
  public synchronized void publishStaleDeath() {
    send(spec.nodeTopic("NDEATH"), deathPayload((bdSeq + 255) & 0xFF), 1);
  }

  /**
   * Publishes these bytes as they are on {@code spBv1.0/<group>/<type>/<node>[/<device>]}, e.g. a
   * malformed payload.
   *
   * @param device null for a node-level type
   */
  public synchronized void publishRaw(String type, String device, byte[] payload) {
    send(device == null ? spec.nodeTopic(type) : spec.deviceTopic(type, device), payload, qos);
  }

  /**
   * Publishes a DATA message with these metrics and the next seq: NDATA when {@code device} is
   * null, else DDATA of that device. For metrics the node would never send, e.g. an undeclared
   * alias or a value of the wrong type.
   */
  public synchronized void publishData(String device, List<SpMetric> metrics) {
    long now = clock.millis() + skew.toMillis();
    String topic = device == null ? spec.nodeTopic("NDATA") : spec.deviceTopic("DDATA", device);
    send(topic, SpEncoder.payload(now, (long) nextSeq(), metrics), qos);
  }

  /** Shifts the node's clock: payload and metric timestamps are off by this much from now on. */
  public synchronized void skew(Duration by) {
    skew = by;
  }

  /** While frozen the devices keep publishing, but always the same values. */
  public synchronized void freeze(boolean on) {
    frozen = on;
    if (!on) {
      frozenValues.clear();
    }
  }

  /** The serial a device reports in its next DBIRTH, e.g. another device's to fake a duplicate. */
  public synchronized void reportSerial(String device, String serial) {
    requireDevice(device);
    serials.put(device, serial);
  }

  /** QoS of births and data (0 by default, as Sparkplug B says); NDEATH is always QoS 1. */
  public synchronized void qos(int newQos) {
    qos = newQos;
  }

  /** Data messages carry metric names as well as aliases (default: aliases only). */
  public synchronized void namedData(boolean on) {
    namedData = on;
  }

  /**
   * Publishes one DDATA of {@code count} historical values per signal, {@code spacing} apart and
   * ending {@code spacing} before now, each metric marked {@code is_historical}: a
   * store-and-forward replay after an outage.
   */
  public synchronized void publishHistorical(String device, int count, Duration spacing) {
    SparkplugDeviceSpec d = requireDevice(device);
    long now = clock.millis() + skew.toMillis();
    List<SpMetric> metrics = new ArrayList<>();
    List<SignalShape> signals = d.kind().signals();
    for (int k = count; k >= 1; k--) {
      long t = now - k * spacing.toMillis();
      for (int i = 0; i < signals.size(); i++) {
        SignalShape s = signals.get(i);
        metrics.add(
            new SpMetric(
                namedData ? s.name() : null,
                alias(d, i),
                t,
                SpEncoder.DOUBLE,
                true,
                s.valueAt(k, phases.get(device)[i], random)));
      }
    }
    if (send(
        spec.deviceTopic("DDATA", device),
        SpEncoder.payload(now, (long) nextSeq(), metrics),
        qos)) {
      deviceMetrics.addAndGet(metrics.size());
    }
  }

  /** The alias of a device's signal in births and data, e.g. for {@link #publishData}. */
  public long aliasOf(String device, int signal) {
    return alias(requireDevice(device), signal);
  }

  /** Messages published so far (births, data, deaths). */
  public long published() {
    return published.get();
  }

  /**
   * Metrics published in device births and data (DBIRTH, DDATA; not the fault injections'): each is
   * one reading of an inventory device at a host that received them all, so a benchmark can count
   * what was lost.
   */
  public long deviceMetrics() {
    return deviceMetrics.get();
  }

  /** NCMD rebirth requests received. */
  public long rebirthRequests() {
    return rebirthRequests.get();
  }

  /** NBIRTHs published (connects and rebirths). */
  public long births() {
    return births.get();
  }

  @Override
  public void close() {
    stop();
  }

  // ---- connection

  private void connect() throws MqttException {
    bdSeq = (bdSeq + 1) & 0xFF;
    if (client == null) {
      client = new MqttAsyncClient(brokerUrl, spec.clientId(), new MemoryPersistence());
      client.setCallback(new Callback());
    }
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(true);
    o.setKeepAliveInterval(10);
    o.setConnectionTimeout(10);
    o.setAutomaticReconnect(false);
    o.setMaxInflight(10_000);
    o.setWill(spec.nodeTopic("NDEATH"), deathPayload(bdSeq), 1, false);
    client.connect(o).waitForCompletion(WAIT_MS);
    client.subscribe(spec.nodeTopic("NCMD"), 1).waitForCompletion(WAIT_MS);
    birth();
  }

  private void scheduleReconnect() {
    synchronized (this) {
      if (!wanted || (reconnect != null && !reconnect.isDone())) {
        return;
      }
      reconnect =
          scheduler.schedule(this::reconnect, RECONNECT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void reconnect() {
    synchronized (this) {
      // This attempt is running: a failure below must be able to schedule the next one.
      reconnect = null;
      if (!wanted || isConnected()) {
        return;
      }
      try {
        connect();
        log.debug("{}: reconnected with bdSeq {}", spec.edgeNode(), bdSeq);
        return;
      } catch (MqttException e) {
        log.debug("{}: reconnect failed: {}", spec.edgeNode(), e.toString());
      }
    }
    scheduleReconnect();
  }

  // ---- messages

  private void birth() {
    seq = 0;
    skipPending = 0;
    deadDevices.clear();
    long now = clock.millis() + skew.toMillis();
    List<SpMetric> node = new ArrayList<>();
    node.add(SpMetric.of("bdSeq", null, SpEncoder.INT64, (long) bdSeq));
    node.add(SpMetric.of(REBIRTH, null, SpEncoder.BOOLEAN, false));
    node.add(SpMetric.of("Properties/Serial Number", null, SpEncoder.STRING, spec.serial()));
    node.add(SpMetric.of("Properties/Manufacturer", null, SpEncoder.STRING, "Onboard"));
    node.add(SpMetric.of("Properties/Model", null, SpEncoder.STRING, "simulated edge node"));
    node.add(
        SpMetric.of("uptimeSeconds", UPTIME_ALIAS, SpEncoder.INT64, uptime()).withTimestamp(now));
    send(spec.nodeTopic("NBIRTH"), SpEncoder.payload(now, (long) nextSeq(), node), qos);
    births.incrementAndGet();
    for (SparkplugDeviceSpec d : spec.devices()) {
      List<SpMetric> m = new ArrayList<>();
      List<SignalShape> signals = d.kind().signals();
      double[] values = values(d, now);
      for (int i = 0; i < signals.size(); i++) {
        m.add(
            SpMetric.of(signals.get(i).name(), alias(d, i), SpEncoder.DOUBLE, values[i])
                .withTimestamp(now));
      }
      m.add(SpMetric.of("Properties/Serial Number", null, SpEncoder.STRING, serials.get(d.name())));
      m.add(SpMetric.of("Properties/Manufacturer", null, SpEncoder.STRING, "Onboard"));
      m.add(SpMetric.of("Properties/Model", null, SpEncoder.STRING, d.kind().name()));
      if (send(
          spec.deviceTopic("DBIRTH", d.name()), SpEncoder.payload(now, (long) nextSeq(), m), qos)) {
        deviceMetrics.addAndGet(m.size());
      }
    }
  }

  private synchronized void tick() {
    if (client == null || !client.isConnected()) {
      return;
    }
    long now = clock.millis() + skew.toMillis();
    for (SparkplugDeviceSpec d : spec.devices()) {
      if (deadDevices.contains(d.name())) {
        continue;
      }
      List<SignalShape> signals = d.kind().signals();
      double[] values = values(d, now);
      List<SpMetric> m = new ArrayList<>(signals.size());
      for (int i = 0; i < signals.size(); i++) {
        m.add(
            new SpMetric(
                namedData ? signals.get(i).name() : null,
                alias(d, i),
                now,
                SpEncoder.DOUBLE,
                false,
                values[i]));
      }
      String topic = spec.deviceTopic("DDATA", d.name());
      byte[] payload = SpEncoder.payload(now, (long) nextSeq(), m);
      if (send(topic, payload, qos)) {
        deviceMetrics.addAndGet(m.size());
        recentData.addLast(
            new byte[][] {topic.getBytes(java.nio.charset.StandardCharsets.UTF_8), payload});
        if (recentData.size() > KEPT_DATA) {
          recentData.removeFirst();
        }
      }
    }
    if (rounds++ % 10 == 0) {
      SpMetric uptime =
          new SpMetric(
              namedData ? "uptimeSeconds" : null,
              UPTIME_ALIAS,
              now,
              SpEncoder.INT64,
              false,
              uptime());
      send(spec.nodeTopic("NDATA"), SpEncoder.payload(now, (long) nextSeq(), List.of(uptime)), qos);
    }
  }

  private boolean send(String topic, byte[] payload, int q) {
    if (client == null || !client.isConnected()) {
      return false;
    }
    try {
      client.publish(topic, payload, q, false);
      published.incrementAndGet();
      return true;
    } catch (MqttException e) {
      log.debug("{}: publish to {} failed: {}", spec.edgeNode(), topic, e.toString());
      return false;
    }
  }

  private int nextSeq() {
    if (skipPending > 0) {
      seq = (seq + skipPending) & 0xFF;
      skipPending = 0;
    }
    int s = seq;
    seq = (seq + 1) & 0xFF;
    return s;
  }

  private double[] values(SparkplugDeviceSpec d, long nowMillis) {
    double[] v = frozen ? frozenValues.get(d.name()) : null;
    if (v != null) {
      return v;
    }
    List<SignalShape> signals = d.kind().signals();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    v = new double[signals.size()];
    double[] p = phases.get(d.name());
    for (int i = 0; i < v.length; i++) {
      v[i] = signals.get(i).valueAt(seconds, p[i], random);
    }
    if (frozen) {
      frozenValues.put(d.name(), v);
    }
    return v;
  }

  private long alias(SparkplugDeviceSpec d, int signal) {
    return 100L * (spec.devices().indexOf(d) + 1) + signal;
  }

  private long uptime() {
    return (System.nanoTime() - startNanos) / 1_000_000_000L;
  }

  private static byte[] deathPayload(int bdSeq) {
    return SpEncoder.payload(
        null, null, List.of(SpMetric.of("bdSeq", null, SpEncoder.INT64, (long) bdSeq)));
  }

  private SparkplugDeviceSpec requireDevice(String device) {
    for (SparkplugDeviceSpec d : spec.devices()) {
      if (d.name().equals(device)) {
        return d;
      }
    }
    throw new NoSuchElementException(spec.edgeNode() + " has no device " + device);
  }

  private void cancelTasks() {
    if (ticker != null) {
      ticker.cancel(false);
      ticker = null;
    }
    if (reconnect != null) {
      reconnect.cancel(false);
      reconnect = null;
    }
  }

  private void closeClient() {
    if (client == null) {
      return;
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      log.debug("{}: close: {}", spec.edgeNode(), e.toString());
    }
    client = null;
  }

  /** Paho's callbacks: never take the node's lock here (stop() holds it while waiting for Paho). */
  private final class Callback implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {
      log.debug("{}: connection lost: {}", spec.edgeNode(), String.valueOf(cause));
      scheduler.execute(SimulatedEdgeNode.this::scheduleReconnect);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      if (SpEncoder.hasTrueBoolean(message.getPayload(), REBIRTH)) {
        rebirthRequests.incrementAndGet();
        scheduler.execute(SimulatedEdgeNode.this::rebirth);
      }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }
}
