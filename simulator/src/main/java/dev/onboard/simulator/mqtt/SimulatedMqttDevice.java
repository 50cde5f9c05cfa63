package dev.onboard.simulator.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON device with its own MQTT 3.1.1 connection (Eclipse Paho v3), as a retrofit sensor kit
 * would have.
 *
 * <p>On connect it publishes a retained {@code online} to its status topic; its retained Will on
 * the same topic is {@code offline}. Every {@link MqttDeviceSpec#interval()} it publishes {@code
 * {"ts": <epoch ms>, "serial": "...", "values": {...}}} at QoS 1 to its telemetry topic. After a
 * broker outage Paho reconnects it (at most every 2 s) and it announces {@code online} again.
 *
 * <p>Faults: {@link #stop()} (clean: {@code offline}, then DISCONNECT, so no Will), {@link #kill()}
 * (the TCP connection drops without DISCONNECT, so the broker publishes the Will), {@link
 * #disconnectQuietly()} (DISCONNECT without {@code offline}: only silence), {@link
 * #freeze(boolean)}, {@link #skew(Duration)}, {@link #reportSerial(String)}, {@link
 * #publishRaw(byte[])} and {@link #replayOldest()}.
 *
 * <p>Thread-safety: all methods are safe from any thread.
 */
public final class SimulatedMqttDevice implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SimulatedMqttDevice.class);
  private static final int KEPT_PAYLOADS = 32;
  private static final long WAIT_MS = 10_000;

  private final MqttDeviceSpec spec;
  private final String brokerUrl;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Random random;
  private final double[] phases;
  private final long startNanos = System.nanoTime();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final Deque<byte[]> recentPayloads = new ArrayDeque<>();

  private volatile MqttAsyncClient client;
  private ScheduledFuture<?> ticker;
  private double[] frozenValues;
  private boolean frozen;
  private Duration skew = Duration.ZERO;
  private String serial;
  private int qos = 1;

  /**
   * @param seed makes the signal noise and phases reproducible
   */
  public SimulatedMqttDevice(
      MqttDeviceSpec spec,
      String brokerUrl,
      ScheduledExecutorService scheduler,
      Clock clock,
      long seed) {
    this.spec = spec;
    this.brokerUrl = brokerUrl;
    this.scheduler = scheduler;
    this.clock = clock;
    this.random = new Random(seed);
    this.serial = spec.serial();
    List<SignalShape> signals = spec.kind().signals();
    this.phases = new double[signals.size()];
    for (int i = 0; i < phases.length; i++) {
      phases[i] = random.nextDouble() * 2 * Math.PI;
    }
  }

  public MqttDeviceSpec spec() {
    return spec;
  }

  /** Connects (waiting at most 10 s) and starts publishing; does nothing if already started. */
  public synchronized void start() {
    if (client != null) {
      return;
    }
    try {
      MqttAsyncClient c = new MqttAsyncClient(brokerUrl, spec.clientId(), new MemoryPersistence());
      c.setCallback(new StatusAnnouncer());
      try {
        c.connect(options()).waitForCompletion(WAIT_MS);
      } catch (MqttException e) {
        c.close(true);
        throw e;
      }
      client = c;
      // Paho does not call connectComplete for the first, explicit connect.
      announce("online");
      long periodMicros = spec.interval().toNanos() / 1000;
      ticker =
          scheduler.scheduleAtFixedRate(
              this::publishTelemetry, 0, Math.max(1, periodMicros), TimeUnit.MICROSECONDS);
    } catch (MqttException e) {
      throw new IllegalStateException(spec.name() + ": cannot connect to " + brokerUrl, e);
    }
  }

  /** Publishes {@code offline}, then disconnects cleanly: the broker does not send the Will. */
  public synchronized void stop() {
    if (client == null) {
      return;
    }
    cancelTicker();
    try {
      if (client.isConnected()) {
        client.publish(spec.statusTopic(), bytes("offline"), 1, true).waitForCompletion(WAIT_MS);
        client.disconnect().waitForCompletion(WAIT_MS);
      }
    } catch (MqttException e) {
      log.warn("{}: clean stop failed ({}); dropping the connection", spec.name(), e.toString());
    } finally {
      closeClient();
    }
  }

  /**
   * Drops the TCP connection without an MQTT DISCONNECT, as a power cut would: the broker publishes
   * the retained Will {@code offline}.
   */
  public synchronized void kill() {
    if (client == null) {
      return;
    }
    cancelTicker();
    try {
      client.disconnectForcibly(0, 1000, false);
    } catch (MqttException e) {
      log.debug("{}: forced disconnect: {}", spec.name(), e.toString());
    } finally {
      closeClient();
    }
  }

  /**
   * Disconnects cleanly without publishing {@code offline}: no status message and no Will, so only
   * the silence (data freshness) tells the gateway the device is gone.
   */
  public synchronized void disconnectQuietly() {
    if (client == null) {
      return;
    }
    cancelTicker();
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(WAIT_MS);
      }
    } catch (MqttException e) {
      log.debug("{}: quiet disconnect: {}", spec.name(), e.toString());
    } finally {
      closeClient();
    }
  }

  public synchronized boolean isRunning() {
    return client != null;
  }

  /** While frozen the device keeps publishing, but always the same values. */
  public synchronized void freeze(boolean on) {
    frozen = on;
    if (!on) {
      frozenValues = null;
    }
  }

  /** Shifts the device's clock: its {@code ts} is off by this much from then on. */
  public synchronized void skew(Duration by) {
    skew = by;
  }

  /** The serial number it reports now. */
  public synchronized String serial() {
    return serial;
  }

  /** The serial number reported from now on, e.g. another device's to fake a duplicate. */
  public synchronized void reportSerial(String newSerial) {
    serial = newSerial;
  }

  /** QoS of telemetry messages (0, 1 or 2); 1 by default. */
  public synchronized void qos(int newQos) {
    qos = newQos;
  }

  /** Publishes these bytes on the telemetry topic as they are, e.g. a malformed payload. */
  public synchronized void publishRaw(byte[] payload) {
    requireConnected();
    try {
      client.publish(spec.telemetryTopic(), payload, qos, false).waitForCompletion(WAIT_MS);
    } catch (MqttException e) {
      throw new IllegalStateException(spec.name() + ": publish failed", e);
    }
  }

  /** Publishes again the oldest of the last 32 payloads: an old timestamp, a replay. */
  public synchronized void replayOldest() {
    byte[] oldest = recentPayloads.peekFirst();
    if (oldest == null) {
      throw new IllegalStateException(spec.name() + " has published nothing yet");
    }
    publishRaw(oldest);
  }

  /** Telemetry messages handed to the broker so far. */
  public long published() {
    return published.get();
  }

  /** Telemetry ticks skipped because the device was not connected or Paho was saturated. */
  public long skipped() {
    return skipped.get();
  }

  @Override
  public void close() {
    stop();
  }

  private MqttConnectOptions options() {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(true);
    o.setKeepAliveInterval(10);
    o.setAutomaticReconnect(true);
    o.setMaxReconnectDelay(2000);
    o.setConnectionTimeout(10);
    // Fast devices in benchmarks keep many QoS 1 messages in flight.
    o.setMaxInflight(10_000);
    o.setWill(spec.statusTopic(), bytes("offline"), 1, true);
    return o;
  }

  private synchronized void publishTelemetry() {
    if (client == null || !client.isConnected()) {
      skipped.incrementAndGet();
      return;
    }
    byte[] payload = telemetryPayload();
    try {
      client.publish(spec.telemetryTopic(), payload, qos, false);
      published.incrementAndGet();
      recentPayloads.addLast(payload);
      if (recentPayloads.size() > KEPT_PAYLOADS) {
        recentPayloads.removeFirst();
      }
    } catch (MqttException e) {
      skipped.incrementAndGet();
    }
  }

  private byte[] telemetryPayload() {
    List<SignalShape> signals = spec.kind().signals();
    double[] values = frozenValues;
    if (values == null) {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      values = new double[signals.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = signals.get(i).valueAt(seconds, phases[i], random);
      }
      if (frozen) {
        frozenValues = values;
      }
    }
    StringBuilder json = new StringBuilder(64 + 24 * values.length);
    json.append("{\"ts\":").append(clock.millis() + skew.toMillis());
    json.append(",\"serial\":\"").append(serial).append("\",\"values\":{");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append('"').append(signals.get(i).name()).append("\":");
      json.append(String.format(Locale.ROOT, "%.3f", values[i]));
    }
    return bytes(json.append("}}").toString());
  }

  private void announce(String status) throws MqttException {
    client.publish(spec.statusTopic(), bytes(status), 1, true);
  }

  private void requireConnected() {
    if (client == null || !client.isConnected()) {
      throw new IllegalStateException(spec.name() + " is not connected");
    }
  }

  private void cancelTicker() {
    if (ticker != null) {
      ticker.cancel(false);
      ticker = null;
    }
  }

  private void closeClient() {
    try {
      client.close(true);
    } catch (MqttException e) {
      log.debug("{}: close: {}", spec.name(), e.toString());
    }
    client = null;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Announces {@code online} again after Paho's automatic reconnect. */
  private final class StatusAnnouncer implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (!reconnect) {
        return;
      }
      // No device lock here: stop() holds it while waiting for Paho, which runs this callback.
      MqttAsyncClient c = client;
      try {
        if (c != null) {
          c.publish(spec.statusTopic(), bytes("online"), 1, true);
        }
      } catch (MqttException e) {
        log.debug("{}: announce after reconnect: {}", spec.name(), e.toString());
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      log.debug("{}: connection lost: {}", spec.name(), String.valueOf(cause));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {}

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }
}
