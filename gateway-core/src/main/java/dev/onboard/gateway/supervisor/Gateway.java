package dev.onboard.gateway.supervisor;

import dev.onboard.gateway.api.ApiServer;
import dev.onboard.gateway.config.Device;
import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.config.SourceConfig;
import dev.onboard.gateway.ledger.EvidenceRecorder;
import dev.onboard.gateway.ledger.GatewayKey;
import dev.onboard.gateway.ledger.Ledger;
import dev.onboard.gateway.liveness.LivenessTracker;
import dev.onboard.gateway.liveness.PresenceRecord;
import dev.onboard.gateway.liveness.StateChange;
import dev.onboard.gateway.liveness.TrackedDevice;
import dev.onboard.gateway.metrics.GatewayMetrics;
import dev.onboard.gateway.pipeline.CentralStore;
import dev.onboard.gateway.pipeline.Pipeline;
import dev.onboard.gateway.pipeline.PointEncoder;
import dev.onboard.gateway.report.ReportService;
import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.AdapterProvider;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.DeviceSpec;
import dev.onboard.gateway.spi.SourceAdapter;
import dev.onboard.gateway.spi.SourceSpec;
import dev.onboard.gateway.spi.SourceStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: its adapters, pipeline, liveness tracking, metrics and HTTP API.
 *
 * <p>{@link #build} validates everything (adapters validate their own settings) and starts nothing,
 * so {@code check-config} uses it too. {@link #start()} creates the data directories, then starts
 * the API, the liveness sweeper and the adapters; {@link #stop()} stops them in reverse. Both are
 * idempotent; a stopped gateway is not started again.
 *
 * <p>Thread-safety: start and stop are synchronized; the getters may be called from any thread.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  /** How often silence timeouts are applied; well under the shortest sensible staleAfter. */
  static final Duration SWEEP_INTERVAL = Duration.ofMillis(200);

  private final GatewayConfig config;
  private final LivenessTracker liveness;
  private final GatewayMetrics metrics;
  private final Pipeline pipeline;
  private final CentralStore central;
  private final List<TrackedDevice> tracked;
  private final Clock clock;
  private volatile EvidenceRecorder evidence;
  private volatile Ledger ledger;
  private final Map<String, SourceAdapter> adapters;
  private final Optional<ApiServer> api;
  private ScheduledExecutorService sweeper;
  private Instant nextMinute;
  private CompletableFuture<Void> started;
  private CompletableFuture<Void> stopped;

  private Gateway(
      GatewayConfig config,
      LivenessTracker liveness,
      GatewayMetrics metrics,
      Pipeline pipeline,
      CentralStore central,
      List<TrackedDevice> tracked,
      Clock clock,
      Map<String, SourceAdapter> adapters,
      Optional<ApiServer> api) {
    this.tracked = tracked;
    this.clock = clock;
    this.config = config;
    this.liveness = liveness;
    this.metrics = metrics;
    this.pipeline = pipeline;
    this.central = central;
    this.adapters = adapters;
    this.api = api;
  }

  /** Builds a gateway with the adapters found on the class path. Starts nothing. */
  public static Gateway build(GatewayConfig config, Clock clock) throws ConfigException {
    return build(config, clock, c -> {});
  }

  /**
   * Builds a gateway with the adapters found on the class path. Starts nothing.
   *
   * @param stateListener also told of every device state change (after logging)
   */
  public static Gateway build(
      GatewayConfig config, Clock clock, Consumer<StateChange> stateListener)
      throws ConfigException {
    Map<String, AdapterProvider> providers = providers();
    List<TrackedDevice> tracked = new ArrayList<>();
    Map<String, String> protocolByDevice = new HashMap<>();
    for (Device d : config.devices()) {
      String protocol = config.source(d.sourceId()).orElseThrow().protocol();
      tracked.add(
          new TrackedDevice(
              d.id(), d.enterpriseId(), d.sourceId(), protocol, d.liveness(), d.claimedIdentity()));
      protocolByDevice.put(d.id(), protocol);
    }
    PointEncoder encoder = new PointEncoder(config.gatewayId(), tracked);
    CentralStore central = new CentralStore(config.outbox(), config.uplink(), encoder, clock);
    // The tracker is created below; state changes reach it through this holder.
    Object[] holder = new Object[2];
    LivenessTracker liveness =
        new LivenessTracker(
            clock,
            tracked,
            change -> {
              log.info(
                  "device {} {} -> {} ({})",
                  change.deviceId(),
                  change.from(),
                  change.to(),
                  change.cause());
              ((LivenessTracker) holder[0])
                  .device(change.deviceId())
                  .ifPresent(view -> central.status(change, view));
              if (holder[1] instanceof Gateway g && g.evidence != null) {
                g.evidence.state(change);
              }
              stateListener.accept(change);
            });
    holder[0] = liveness;
    GatewayMetrics metrics = new GatewayMetrics(config.gatewayId(), liveness);
    metrics.trackCentralStore(central);
    Pipeline pipeline = new Pipeline(liveness, metrics, central, protocolByDevice);

    Map<String, SourceAdapter> adapters = new LinkedHashMap<>();
    for (int i = 0; i < config.sources().size(); i++) {
      SourceConfig source = config.sources().get(i);
      AdapterProvider provider = providers.get(source.protocol());
      if (provider == null) {
        throw new ConfigException(
            config.file().toString(),
            "sources[" + i + "].protocol",
            "no adapter for protocol '" + source.protocol() + "'",
            "use one of " + providers.keySet());
      }
      List<DeviceSpec> devices =
          config.devices().stream()
              .filter(d -> d.sourceId().equals(source.id()))
              .map(d -> new DeviceSpec(d.id(), d.enterpriseId(), d.address()))
              .toList();
      AdapterContext context =
          new AdapterContext(
              pipeline,
              clock,
              config.dataDir().resolve("sources").resolve(source.id()),
              new NamedThreads(source.protocol() + "-" + source.id()));
      SourceAdapter adapter =
          provider.create(
              new SourceSpec(source.id(), source.protocol(), source.settings(), devices), context);
      adapters.put(source.id(), adapter);
      metrics.trackSource(source.id(), source.protocol(), adapter::status);
    }
    ReportService reports =
        new ReportService(
            config, () -> holder[1] instanceof Gateway g ? g.ledger() : Optional.empty(), clock);
    Optional<ApiServer> api =
        config
            .http()
            .map(
                http ->
                    new ApiServer(
                        http,
                        config,
                        liveness,
                        () -> statuses(adapters),
                        central,
                        metrics,
                        reports));
    Gateway gateway =
        new Gateway(config, liveness, metrics, pipeline, central, tracked, clock, adapters, api);
    holder[1] = gateway;
    return gateway;
  }

  /** The adapters on the class path, by protocol. */
  public static Map<String, AdapterProvider> providers() {
    Map<String, AdapterProvider> out = new TreeMap<>();
    for (AdapterProvider p : ServiceLoader.load(AdapterProvider.class)) {
      out.put(p.protocol(), p);
    }
    return out;
  }

  /** Starts the API, the liveness sweeper and every adapter; completes once all have started. */
  public synchronized CompletableFuture<Void> start() {
    if (stopped != null) {
      // Returning the earlier start's completed future would tell the caller it is running.
      return CompletableFuture.failedFuture(
          new IllegalStateException("gateway was stopped; build a new one"));
    }
    if (started != null) {
      return started;
    }
    try {
      Files.createDirectories(config.dataDir());
      for (String sourceId : adapters.keySet()) {
        Files.createDirectories(config.dataDir().resolve("sources").resolve(sourceId));
      }
    } catch (IOException e) {
      return started =
          CompletableFuture.failedFuture(
              new UncheckedIOException("cannot create data dir " + config.dataDir(), e));
    }
    try {
      central.start();
    } catch (IOException e) {
      return started =
          CompletableFuture.failedFuture(
              new UncheckedIOException("cannot open the outbox in " + config.outbox().dir(), e));
    }
    try {
      ledger =
          Ledger.open(
              config.dataDir().resolve("ledger"),
              config.gatewayId(),
              GatewayKey.loadOrCreate(config.dataDir().resolve("keys")),
              clock);
    } catch (IOException e) {
      central.close();
      return started = CompletableFuture.failedFuture(new UncheckedIOException(e.getMessage(), e));
    }
    evidence =
        new EvidenceRecorder(
            ledger,
            tracked,
            config.ledgerPeriod(),
            central::evidenceDelivered,
            central::checkpoint);
    Map<String, String> costs = new HashMap<>();
    config.devices().stream()
        .filter(d -> d.onboardingCostYuan() != null)
        .forEach(d -> costs.put(d.id(), d.onboardingCostYuan()));
    evidence.inventory(config.enterprises(), costs);
    pipeline.recordEvidence(evidence);
    api.ifPresent(ApiServer::start);
    sweeper = Executors.newSingleThreadScheduledExecutor(new NamedThreads("liveness"));
    sweeper.scheduleAtFixedRate(
        this::sweepQuietly,
        SWEEP_INTERVAL.toMillis(),
        SWEEP_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    adapters.values().forEach(a -> starts.add(a.start()));
    started = CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new));
    return started;
  }

  /** Stops the adapters, then the sweeper, then the API. */
  public synchronized CompletableFuture<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    List<SourceAdapter> reverse = new ArrayList<>(adapters.values());
    java.util.Collections.reverse(reverse);
    reverse.forEach(a -> stops.add(a.stop()));
    stopped =
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
            .handle(
                (ok, error) -> {
                  if (error != null) {
                    log.warn("an adapter did not stop cleanly: {}", error.toString());
                  }
                  if (sweeper != null) {
                    sweeper.shutdownNow();
                  }
                  closeLedger();
                  central.close();
                  api.ifPresent(ApiServer::stop);
                  metrics.close();
                  return null;
                });
    return stopped;
  }

  private void closeLedger() {
    EvidenceRecorder e = evidence;
    if (e != null) {
      pipeline.recordEvidence(null);
      e.close();
    }
    if (ledger != null) {
      try {
        ledger.close();
      } catch (IOException ex) {
        log.warn("closing the ledger: {}", ex.toString());
      }
    }
  }

  /** The evidence ledger; present once started. */
  public Optional<Ledger> ledger() {
    return Optional.ofNullable(ledger);
  }

  /** The evidence recorder; present once started. */
  public Optional<EvidenceRecorder> evidence() {
    return Optional.ofNullable(evidence);
  }

  @Override
  public void close() {
    stop().join();
  }

  public GatewayConfig config() {
    return config;
  }

  public LivenessTracker liveness() {
    return liveness;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  /** The path to the central store: outbox and uplink. */
  public CentralStore central() {
    return central;
  }

  /** Each source's connection status, in configuration order. */
  public List<SourceStatus> sources() {
    return statuses(adapters);
  }

  /** Where the API listens once started; empty without an {@code http:} section. */
  public Optional<InetSocketAddress> apiAddress() {
    return api.map(ApiServer::address);
  }

  private static List<SourceStatus> statuses(Map<String, SourceAdapter> adapters) {
    return adapters.values().stream().map(SourceAdapter::status).toList();
  }

  private void sweepQuietly() {
    try {
      Instant now = liveness.clockInstant();
      if (nextMinute == null) {
        nextMinute = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
      }
      // Close each minute that ended, in order, so presence has no gaps while the gateway runs.
      while (!now.isBefore(nextMinute)) {
        if (Duration.between(nextMinute, now).compareTo(Duration.ofMinutes(2)) > 0) {
          // The process was suspended: that time is unknown, never presence. Skip to now.
          log.warn(
              "liveness sweeps stopped from {} to {}; no presence recorded for that time",
              nextMinute,
              now);
          nextMinute = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
          break;
        }
        List<PresenceRecord> minute = liveness.closeMinute(nextMinute);
        central.presence(minute);
        evidence.presence(minute);
        nextMinute = nextMinute.plus(Duration.ofMinutes(1));
      }
      liveness.sweep();
      central.tick(now, liveness.countByState());
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; liveness must keep being judged.
      log.error("liveness sweep failed", e);
    }
  }
}
