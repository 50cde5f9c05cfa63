package dev.onboard.gateway.metrics;

import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.liveness.LivenessTracker;
import dev.onboard.gateway.spi.SourceStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gateway's meters: samples received per protocol, device events per kind, devices per state,
 * each source's connection state, and the JVM's own (memory, GC, threads, CPU, uptime).
 *
 * <p>Thread-safety: counters may be incremented from any thread; registration happens in the
 * constructor and {@link #trackSource}.
 */
public final class GatewayMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> samplesByProtocol = new ConcurrentHashMap<>();
  private final Map<String, Counter> eventsByKind = new ConcurrentHashMap<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public GatewayMetrics(String gatewayId, LivenessTracker liveness) {
    registry.config().commonTags("gateway", gatewayId);
    for (DeviceState state : DeviceState.values()) {
      Gauge.builder("onboard.devices", liveness, l -> l.countByState().get(state))
          .description("Inventory devices in each liveness state")
          .strongReference(true)
          .tag("state", state.name())
          .register(registry);
    }
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Counts one reading received from an adapter of {@code protocol}. */
  public void sampleReceived(String protocol) {
    Counter c = samplesByProtocol.get(protocol);
    if (c == null) {
      // Only the first sample of a protocol registers; the capturing lambda would otherwise be
      // allocated on every one of 300,000 samples a second.
      c =
          samplesByProtocol.computeIfAbsent(
              protocol,
              p ->
                  Counter.builder("onboard.samples.received")
                      .description("Readings received from adapters")
                      .tag("protocol", p)
                      .register(registry));
    }
    c.increment();
  }

  /** Counts one device event of {@code kind} (e.g. Connected, Flagged). */
  public void eventReceived(String kind) {
    eventsByKind
        .computeIfAbsent(
            kind,
            k ->
                Counter.builder("onboard.device.events")
                    .description("Device events received from adapters")
                    .tag("kind", k)
                    .register(registry))
        .increment();
  }

  /**
   * Publishes {@code onboard.source.state} = 1 for the source's current state, 0 for the others.
   */
  public void trackSource(String sourceId, String protocol, Supplier<SourceStatus> status) {
    for (SourceStatus.State state : SourceStatus.State.values()) {
      Gauge.builder("onboard.source.state", status, s -> s.get().state() == state ? 1 : 0)
          .description("1 for the source's current connection state")
          .strongReference(true)
          .tags("source", sourceId, "protocol", protocol, "state", state.name())
          .register(registry);
    }
  }

  /** Publishes the outbox's depth, disk, drops and the uplink's deliveries. */
  public void trackCentralStore(dev.onboard.gateway.pipeline.CentralStore central) {
    Gauge.builder(
            "onboard.outbox.points",
            central,
            c -> c.outboxStats().map(s -> s.telemetryDepth() + s.evidenceDepth()).orElse(0L))
        .description("Points waiting in the outbox for the central store")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "onboard.outbox.oldest.age",
            central,
            c -> c.outboxStats().map(s -> s.oldestAgeMillis() / 1000.0).orElse(0.0))
        .description("Age of the oldest point waiting in the outbox")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "onboard.outbox.disk", central, c -> c.outboxStats().map(s -> s.diskBytes()).orElse(0L))
        .baseUnit("bytes")
        .description("Disk taken by the outbox")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "onboard.outbox.dropped",
            central,
            c -> c.outboxStats().map(s -> s.droppedTelemetry()).orElse(0L))
        .description("Telemetry points dropped to respect the outbox quota since start")
        .strongReference(true)
        .register(registry);
    Gauge.builder("onboard.uplink.delivered", central, c -> c.uplinkStatus().deliveredPoints())
        .description("Points the central store accepted since start")
        .strongReference(true)
        .register(registry);
    Gauge.builder("onboard.uplink.refused", central, c -> c.uplinkStatus().refusedPoints())
        .description("Points in batches the central store refused as bad data since start")
        .strongReference(true)
        .register(registry);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
