package dev.onboard.adapters.mqtt;

import dev.onboard.adapters.mqtt.sparkplug.SparkplugDirectory;
import dev.onboard.adapters.mqtt.sparkplug.SparkplugHost;
import dev.onboard.adapters.mqtt.sparkplug.SparkplugTopic;
import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.spi.SourceAdapter;
import dev.onboard.gateway.spi.SourceStatus;
import dev.onboard.gateway.spi.SourceStatus.State;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT broker connection serving every device of a source: JSON devices ({@link JsonDevices})
 * and Sparkplug B edge nodes and devices ({@link SparkplugHost}). With a Sparkplug {@code hostId}
 * the gateway is a primary host: its Will is a retained {@code spBv1.0/STATE/<hostId>} {@code
 * online:false}, and after each connect it publishes {@code online:true} with the same timestamp.
 *
 * <p>Reconnecting lives here and nowhere else: Paho's automatic reconnect is off; after a failed
 * connect or a lost connection one task on the control thread tries again after 0.5 s, doubling to
 * at most 30 s, and subscribes again each time (a broker that restarted without persistence has
 * forgotten the subscriptions).
 *
 * <p>Threads (all from {@link AdapterContext#threads()}): one control thread (connects, backoff,
 * and every 100 ms the Sparkplug reorder timeouts), a small pool for Paho's sender, receiver and
 * callback, and one short-lived thread for stop. Messages are handled on Paho's callback thread;
 * the sink never blocks, so QoS 1 messages are acknowledged only after they reached the sink.
 *
 * <p>Thread-safety: all methods are safe from any thread.
 */
final class MqttAdapter implements SourceAdapter {

  private static final Logger log = LoggerFactory.getLogger(MqttAdapter.class);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final long DEAD_LETTER_FILE_BYTES = 4L * 1024 * 1024;
  private static final int DEAD_LETTER_PAYLOAD_BYTES = 16 * 1024;
  // Paho runs its sender, receiver and callback loops as long-lived tasks, plus pings: a pool
  // smaller than that would starve it.
  private static final int PAHO_THREADS = 6;
  private static final Duration TICK = Duration.ofMillis(100);
  // A persistent session's backlog arrives in a burst after a reconnect: late, not skewed.
  private static final Duration BACKLOG_WINDOW = Duration.ofSeconds(10);

  private final String sourceId;
  private final MqttSourceConfig config;
  private final AdapterContext context;
  private final JsonDevices json;
  private final SparkplugHost sparkplug;
  private final ClockSkewWatch skew;
  private final EventSink checked;
  private final MalformedCounts malformed = new MalformedCounts();
  private final Refusals refusals;
  private final Backoff backoff = new Backoff(MIN_BACKOFF, MAX_BACKOFF);
  private final AtomicReference<SourceStatus> status = new AtomicReference<>();
  private final AtomicBoolean attemptPending = new AtomicBoolean();
  private final Object lifecycle = new Object();
  private final DeadLetterFile deadLetters;

  private volatile boolean running;
  private CompletableFuture<Void> started;
  private CompletableFuture<Void> stopped;
  private ScheduledExecutorService control;
  private ScheduledExecutorService pahoPool;
  private BrokerClient client;

  /**
   * @param directory the JSON devices; null when the source has no json section
   * @param sparkplugDevices the Sparkplug devices; may be empty
   */
  MqttAdapter(
      String sourceId,
      MqttSourceConfig config,
      DeviceDirectory directory,
      SparkplugDirectory sparkplugDevices,
      AdapterContext ctx) {
    this.sourceId = sourceId;
    this.config = config;
    this.context = ctx;
    this.deadLetters =
        new DeadLetterFile(ctx.dataDir(), DEAD_LETTER_FILE_BYTES, DEAD_LETTER_PAYLOAD_BYTES);
    this.skew = new ClockSkewWatch(config.clockSkewTolerance());
    this.checked = new CheckedSink(ctx.sink(), skew);
    this.refusals = new Refusals(ctx.sink(), deadLetters, malformed);
    this.json =
        directory == null
            ? null
            : new JsonDevices(
                config.json(), directory, checked, ctx.clock(), config.maxPayloadBytes(), refusals);
    this.sparkplug =
        sparkplugDevices.isEmpty()
            ? null
            : new SparkplugHost(
                sourceId,
                config.sparkplug(),
                sparkplugDevices,
                new SparkplugOutput(),
                config.maxPayloadBytes());
    status.set(
        new SourceStatus(
            sourceId, MqttAdapterProvider.PROTOCOL, State.STOPPED, "", ctx.clock().instant()));
  }

  @Override
  public String sourceId() {
    return sourceId;
  }

  @Override
  public CompletableFuture<Void> start() {
    synchronized (lifecycle) {
      if (started != null) {
        return started;
      }
      if (stopped != null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("source " + sourceId + " was stopped; create a new adapter"));
      }
      try {
        pahoPool = new ScheduledThreadPoolExecutor(PAHO_THREADS, context.threads());
        control = new ScheduledThreadPoolExecutor(1, context.threads());
        client = newClient();
      } catch (Exception e) {
        // Only a broken TLS file can get here; say so as the source's status, per the SPI.
        shutdownExecutors();
        setStatus(State.UNREACHABLE, "cannot set up the client: " + e.getMessage());
        started = CompletableFuture.completedFuture(null);
        return started;
      }
      running = true;
      setStatus(State.CONNECTING, "connecting to " + config.broker());
      scheduleAttempt(Duration.ZERO);
      if (sparkplug != null) {
        control.scheduleWithFixedDelay(
            this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
      }
      started = CompletableFuture.completedFuture(null);
      return started;
    }
  }

  @Override
  public CompletableFuture<Void> stop() {
    synchronized (lifecycle) {
      if (stopped != null) {
        return stopped;
      }
      running = false;
      if (started == null || client == null) {
        setStatus(State.STOPPED, "");
        stopped = CompletableFuture.completedFuture(null);
        return stopped;
      }
      stopped = new CompletableFuture<>();
      Thread stopper = context.threads().newThread(this::release);
      stopper.start();
      return stopped;
    }
  }

  @Override
  public SourceStatus status() {
    return status.get();
  }

  /** Refused messages per device and reason, e.g. {@code press-01 → NOT_JSON → 3}. */
  Map<String, Map<String, Long>> malformedCounts() {
    return malformed.snapshot();
  }

  /** The dead-letter file (it exists once a message was refused). */
  Path deadLetterFile() {
    return deadLetters.path();
  }

  /** Messages on the configured JSON topics whose device is not in the inventory. */
  long unmatchedMessages() {
    return json == null ? 0 : json.unmatched();
  }

  /** What the Sparkplug host counted; null when the source has no Sparkplug devices. */
  SparkplugHost.Counters sparkplugCounters() {
    return sparkplug == null ? null : sparkplug.counters();
  }

  /** Every subscription filter: the JSON topics, then one per Sparkplug group. */
  List<String> filters() {
    List<String> filters = new ArrayList<>();
    if (json != null) {
      filters.addAll(json.filters());
    }
    if (sparkplug != null) {
      filters.addAll(sparkplug.filters());
    }
    return filters;
  }

  private BrokerClient newClient() throws Exception {
    SocketFactory sockets =
        config.tls() != null
            ? TlsSocketFactories.create(config.tls())
            : config.broker().startsWith("tcp://") ? new BufferedSocketFactory() : null;
    BrokerClient.Handler handler = new Handler();
    return config.version() == MqttVersion.V5
        ? new PahoV5Client(config, sockets, pahoPool, handler)
        : new PahoV3Client(config, sockets, pahoPool, handler);
  }

  private void scheduleAttempt(Duration delay) {
    if (!running || !attemptPending.compareAndSet(false, true)) {
      return;
    }
    try {
      control.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      attemptPending.set(false);
    }
  }

  /** One connect-and-subscribe attempt, on the control thread. */
  private void attempt() {
    attemptPending.set(false);
    if (!running) {
      return;
    }
    try {
      long stateTime = context.clock().millis();
      String hostId = config.sparkplug().hostId();
      client.connect(
          hostId == null
              ? null
              : new BrokerClient.Will(
                  SparkplugTopic.state(hostId),
                  SparkplugTopic.statePayload(false, stateTime),
                  1,
                  true));
      skew.connected(context.clock().instant(), BACKLOG_WINDOW);
      List<String> filters = filters();
      client.subscribe(filters.toArray(new String[0]), config.qos());
      if (hostId != null) {
        client.publish(
            SparkplugTopic.state(hostId), SparkplugTopic.statePayload(true, stateTime), 1, true);
      }
      backoff.reset();
      setStatus(State.CONNECTED, "");
      log.info("source {}: connected to {}, subscribed to {}", sourceId, config.broker(), filters);
    } catch (BrokerClient.ConnectFailure f) {
      if (!running) {
        return;
      }
      Duration wait = backoff.next();
      setStatus(f.state(), f.getMessage() + "; retrying in " + wait.toMillis() + " ms");
      log.warn("source {}: {}; retrying in {} ms", sourceId, f.getMessage(), wait.toMillis());
      scheduleAttempt(wait);
    }
  }

  /** Closes Sparkplug reorder windows that ran out; on the control thread. */
  private void tick() {
    try {
      sparkplug.tick(context.clock().instant());
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: keep the timer alive whatever happens.
      log.warn("source {}: Sparkplug timer: {}", sourceId, e.toString());
    }
  }

  private void release() {
    try {
      // Reverse order of start: control thread (no more attempts), client, Paho's pool.
      control.shutdownNow();
      String hostId = config.sparkplug().hostId();
      if (hostId != null && status.get().state() == State.CONNECTED) {
        try {
          // A clean goodbye does not trigger the Will: say offline ourselves, before DISCONNECT.
          client.publish(
              SparkplugTopic.state(hostId),
              SparkplugTopic.statePayload(false, context.clock().millis()),
              1,
              true);
        } catch (BrokerClient.ConnectFailure e) {
          log.debug("source {}: STATE offline not sent: {}", sourceId, e.getMessage());
        }
      }
      client.close();
      shutdownExecutors();
      control.awaitTermination(10, TimeUnit.SECONDS);
      pahoPool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("source {}: error while stopping: {}", sourceId, e.toString());
    } finally {
      setStatus(State.STOPPED, "");
      stopped.complete(null);
    }
  }

  private void shutdownExecutors() {
    if (control != null) {
      control.shutdownNow();
    }
    if (pahoPool != null) {
      pahoPool.shutdownNow();
    }
  }

  private void setStatus(State state, String detail) {
    SourceStatus previous = status.get();
    if (previous != null && previous.state() == state && previous.detail().equals(detail)) {
      return;
    }
    SourceStatus next =
        new SourceStatus(
            sourceId, MqttAdapterProvider.PROTOCOL, state, detail, context.clock().instant());
    status.set(next);
    context.sink().sourceStatus(next);
  }

  /** What the broker connection delivers, on Paho's callback thread. */
  private final class Handler implements BrokerClient.Handler {
    @Override
    public void message(String topic, byte[] payload, boolean retained, boolean duplicate) {
      if (!running) {
        return;
      }
      try {
        if (sparkplug != null && SparkplugHost.handles(topic)) {
          sparkplug.message(topic, payload, duplicate, context.clock().instant());
        } else if (json != null) {
          json.handle(topic, payload);
        }
      } catch (RuntimeException e) {
        // A bug must not take the connection down with it: Paho drops the connection when the
        // callback throws. Keep the message for a post-mortem and carry on.
        log.error("source {}: message on {} not handled", sourceId, topic, e);
        refusals.refuse(
            null,
            "unhandled",
            topic,
            payload,
            context.clock().instant(),
            "INTERNAL_ERROR",
            e.toString(),
            DeviceEvent.Flag.MALFORMED_PAYLOAD);
      }
    }

    @Override
    public void connectionLost(String cause) {
      if (!running) {
        return;
      }
      if (sparkplug != null) {
        sparkplug.connectionLost();
      }
      setStatus(State.CONNECTING, "connection lost: " + cause);
      log.warn("source {}: connection to {} lost: {}", sourceId, config.broker(), cause);
      scheduleAttempt(backoff.next());
    }
  }

  /**
   * The Sparkplug host's way out: readings and events through the checks, commands to the broker.
   */
  private final class SparkplugOutput implements SparkplugHost.Output {
    @Override
    public void readings(List<Reading> readings) {
      checked.readings(readings);
    }

    @Override
    public void event(DeviceEvent event) {
      checked.event(event);
    }

    @Override
    public void refuse(
        String deviceId,
        String countKey,
        String topic,
        byte[] payload,
        String reason,
        String detail,
        DeviceEvent.Flag flag) {
      refusals.refuse(
          deviceId, countKey, topic, payload, context.clock().instant(), reason, detail, flag);
    }

    @Override
    public boolean publish(String topic, byte[] payload) {
      try {
        client.publish(topic, payload, 0, false);
        return true;
      } catch (BrokerClient.ConnectFailure e) {
        return false;
      }
    }
  }

  /** The gateway's sink, with each live reading's clock skew checked on the way. */
  private static final class CheckedSink implements EventSink {
    private final EventSink sink;
    private final ClockSkewWatch skew;

    CheckedSink(EventSink sink, ClockSkewWatch skew) {
      this.sink = sink;
      this.skew = skew;
    }

    @Override
    public void reading(Reading reading) {
      sink.reading(reading);
      skew.check(reading, sink);
    }

    @Override
    public void readings(java.util.List<Reading> batch) {
      sink.readings(batch);
      for (Reading r : batch) {
        skew.check(r, sink);
      }
    }

    @Override
    public void event(DeviceEvent event) {
      sink.event(event);
    }

    @Override
    public void sourceStatus(dev.onboard.gateway.spi.SourceStatus status) {
      sink.sourceStatus(status);
    }
  }
}
