package dev.onboard.adapters.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import dev.onboard.adapters.opcua.DataRouter.TagBinding;
import dev.onboard.adapters.opcua.DeviceResolver.ResolvedDevice;
import dev.onboard.adapters.opcua.OpcUaSourceConfig.DeviceBinding;
import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.DeviceIdentity;
import dev.onboard.gateway.spi.SourceAdapter;
import dev.onboard.gateway.spi.SourceStatus;
import dev.onboard.gateway.spi.SourceStatus.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ServerState;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OPC UA server: one Milo client, one session, one subscription holding every device's items
 * plus {@code ServerStatus.State}.
 *
 * <p>Reconnecting: until the first session is up, this adapter retries discovery and connect with a
 * backoff of 1 s doubling to 30 s (Milo has no client yet to retry with). From the first session
 * on, Milo's session state machine alone reconnects; on a new session the subscription is
 * transferred by Milo or, if the server lost it, re-created here once with the same items, so the
 * server never holds duplicates.
 *
 * <p>Threads: setup runs on one thread from {@link AdapterContext#threads()}; values arrive on
 * Milo's delivery thread and go straight to the sink.
 *
 * <p>Thread-safety: all public methods may be called from any thread.
 */
final class OpcUaSourceAdapter implements SourceAdapter {

  private static final Logger log = LoggerFactory.getLogger(OpcUaSourceAdapter.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration SETUP_RETRY = Duration.ofSeconds(5);

  private final String sourceId;
  private final OpcUaSourceConfig config;
  private final AdapterContext context;
  private final Map<String, DeviceLiveness> devices = new LinkedHashMap<>();
  private final DataRouter router;
  private final GatewayPki pki;

  private final Object lock = new Object();
  private CompletableFuture<Void> startFuture;
  private CompletableFuture<Void> stopFuture;
  private ScheduledExecutorService executor;
  private volatile OpcUaClient client;
  private volatile boolean stopped;
  private volatile SourceStatus status;

  // Touched only on the setup thread.
  private EndpointDescription endpoint;
  private OpcUaSubscription subscription;
  private final Map<String, ResolvedDevice> resolved = new LinkedHashMap<>();
  private final Map<String, String> unresolved = new HashMap<>();
  private int attempts;

  OpcUaSourceAdapter(String sourceId, OpcUaSourceConfig config, AdapterContext context) {
    this.sourceId = sourceId;
    this.config = config;
    this.context = context;
    for (DeviceBinding d : config.devices()) {
      devices.put(
          d.deviceId(),
          new DeviceLiveness(
              d.deviceId(), context.sink(), context.clock(), config.clockSkewTolerance()));
    }
    this.router =
        new DataRouter(
            context.sink(),
            context.clock(),
            List.copyOf(devices.values()),
            this::onServerState,
            () -> onSetupThread(this::ensureSubscription));
    this.pki = new GatewayPki(context.dataDir(), "urn:onboard:gateway:" + sourceId);
    this.status =
        new SourceStatus(
            sourceId, OpcUaAdapterProvider.PROTOCOL, State.STOPPED, "", context.clock().instant());
  }

  @Override
  public String sourceId() {
    return sourceId;
  }

  @Override
  public SourceStatus status() {
    return status;
  }

  @Override
  public CompletableFuture<Void> start() {
    synchronized (lock) {
      if (startFuture != null) {
        return startFuture;
      }
      if (stopFuture != null) {
        startFuture =
            CompletableFuture.failedFuture(
                new IllegalStateException("source " + sourceId + " was stopped; create a new one"));
        return startFuture;
      }
      executor = Executors.newSingleThreadScheduledExecutor(context.threads());
      router.setDelivering(true);
      setStatus(State.CONNECTING, "connecting to " + config.endpoint());
      executor.execute(this::bootstrap);
      startFuture = CompletableFuture.completedFuture(null);
      return startFuture;
    }
  }

  @Override
  public CompletableFuture<Void> stop() {
    OpcUaClient c;
    synchronized (lock) {
      if (stopFuture != null) {
        return stopFuture;
      }
      stopped = true;
      router.setDelivering(false);
      if (startFuture == null) {
        stopFuture = CompletableFuture.completedFuture(null);
        return stopFuture;
      }
      c = client;
      client = null;
      stopFuture = new CompletableFuture<>();
    }
    Thread releaser = context.threads().newThread(() -> release(c));
    releaser.start();
    return stopFuture;
  }

  /** Closes the session (which deletes its subscription on the server), then the setup thread. */
  private void release(OpcUaClient c) {
    try {
      if (c != null) {
        try {
          c.disconnectAsync().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          log.debug("source {}: disconnect did not complete cleanly", sourceId, e);
        }
      }
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      forceStatus(State.STOPPED, "");
      stopFuture.complete(null);
    }
  }

  // ---- connecting (before the first session only) ----

  private void bootstrap() {
    if (stopped) {
      return;
    }
    OpcUaClient c = null;
    try {
      List<EndpointDescription> offered =
          DiscoveryClient.getEndpoints(config.endpoint()).get(15, TimeUnit.SECONDS);
      EndpointDescription chosen =
          EndpointChooser.choose(offered, config.policy(), config.mode())
              .orElseThrow(
                  () ->
                      new Failures.NoMatchingEndpoint(
                          "the server offers "
                              + EndpointChooser.describe(offered)
                              + ", none matches security.policy "
                              + config.policy().name().toLowerCase(java.util.Locale.ROOT)
                              + config.mode().map(m -> " mode " + m).orElse("")
                              + " (None is used only when pinned with policy: none)"));
      // Servers often advertise a host name the gateway cannot resolve; keep the configured one.
      chosen =
          EndpointUtil.updateUrl(
              chosen,
              EndpointUtil.getHost(config.endpoint()),
              EndpointUtil.getPort(config.endpoint()));
      c = OpcUaClient.create(clientConfig(chosen));
      c.addSessionActivityListener(sessionListener());
      synchronized (lock) {
        if (stopped) {
          c.disconnectAsync();
          return;
        }
        client = c;
      }
      endpoint = chosen;
      c.connect();
      attempts = 0;
    } catch (Exception e) {
      if (stopped) {
        return;
      }
      Failures.Failure f = Failures.classify(e, config, pki);
      setStatus(f.state(), f.detail());
      log.info("source {}: {}", sourceId, f.detail());
      if (c != null) {
        synchronized (lock) {
          if (client == c) {
            client = null;
          }
        }
        c.disconnectAsync();
      }
      long delay = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempts++, 5));
      schedule(this::bootstrap, delay);
    }
  }

  private OpcUaClientConfig clientConfig(EndpointDescription chosen) throws Exception {
    OpcUaClientConfigBuilder b =
        OpcUaClientConfig.builder()
            .setApplicationName(LocalizedText.english("Onboard gateway " + sourceId))
            .setApplicationUri(pki.applicationUri())
            .setProductUri("urn:onboard:gateway")
            .setEndpoint(chosen)
            .setRequestTimeout(uint(15_000))
            .setCertificateValidator(pki.validator());
    if (!SecurityPolicy.None.getUri().equals(chosen.getSecurityPolicyUri())) {
      pki.loadOrCreate();
      b.setKeyPair(pki.keyPair()).setCertificate(pki.certificate());
    }
    if (config.username().isPresent()) {
      b.setIdentityProvider(
          new UsernameProvider(config.username().get(), config.password().orElseThrow().reveal()));
    } else {
      b.setIdentityProvider(new AnonymousProvider());
    }
    return b.build();
  }

  private SessionActivityListener sessionListener() {
    return new SessionActivityListener() {
      @Override
      public void onSessionActive(UaSession session) {
        onSetupThread(OpcUaSourceAdapter.this::onSessionUp);
      }

      @Override
      public void onSessionInactive(UaSession session) {
        if (stopped) {
          return;
        }
        router.sessionDown("session to " + config.endpoint() + " closed");
        setStatus(State.CONNECTING, "session to " + config.endpoint() + " lost; reconnecting");
      }
    };
  }

  // ---- session setup (every new session) ----

  private void onSessionUp() {
    OpcUaClient c = client;
    if (c == null || stopped) {
      return;
    }
    try {
      ServerState state =
          DataRouter.serverStateOf(
              c.readValue(0, TimestampsToReturn.Neither, NodeIds.Server_ServerStatus_State));
      router.sessionUp(state);
      resolveDevices(c);
      emitIdentities(c);
      ensureSubscription();
      onServerState(state);
    } catch (Exception e) {
      if (stopped) {
        return;
      }
      String why = Failures.unwrap(e).toString();
      log.warn("source {}: session setup failed, retrying: {}", sourceId, why);
      setStatus(
          State.CONNECTING, "connected, but reading the devices failed (" + why + "); retrying");
      schedule(this::onSessionUp, SETUP_RETRY.toMillis());
    }
  }

  /** Resolves devices not resolved yet and adds their items to the subscription. */
  private void resolveDevices(OpcUaClient c) throws Exception {
    List<DeviceBinding> todo =
        config.devices().stream().filter(d -> !resolved.containsKey(d.deviceId())).toList();
    if (todo.isEmpty()) {
      return;
    }
    Map<String, Object> found = new DeviceResolver(c).resolve(todo, config.browse());
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    for (DeviceBinding d : todo) {
      Object r = found.get(d.deviceId());
      if (r instanceof ResolvedDevice device) {
        resolved.put(d.deviceId(), device);
        unresolved.remove(d.deviceId());
        items.addAll(itemsFor(d, device));
      } else {
        unresolved.put(d.deviceId(), String.valueOf(r));
        log.warn("source {}: device {} not found: {}", sourceId, d.deviceId(), r);
      }
    }
    subscription(c).addMonitoredItems(items);
  }

  private List<OpcUaMonitoredItem> itemsFor(DeviceBinding binding, ResolvedDevice device) {
    DeviceLiveness liveness = devices.get(binding.deviceId());
    String[] tags = device.tags().keySet().toArray(new String[0]);
    liveness.bindTags(tags);
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    for (int i = 0; i < tags.length; i++) {
      OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(device.tags().get(tags[i]));
      item.setSamplingInterval(binding.samplingInterval().toMillis());
      item.setQueueSize(uint(binding.queueSize()));
      item.setDiscardOldest(true);
      if (config.subscription().deadband() > 0) {
        item.setFilter(
            new DataChangeFilter(
                DataChangeTrigger.StatusValue,
                uint(DeadbandType.Absolute.getValue()),
                config.subscription().deadband()));
      }
      item.setUserObject(new TagBinding(liveness, i, tags[i]));
      items.add(item);
    }
    return items;
  }

  private OpcUaSubscription subscription(OpcUaClient c) {
    if (subscription == null) {
      subscription =
          new OpcUaSubscription(c, (double) config.subscription().publishingInterval().toMillis());
      subscription.setSubscriptionListener(router);
      OpcUaMonitoredItem state = OpcUaMonitoredItem.newDataItem(NodeIds.Server_ServerStatus_State);
      state.setSamplingInterval(1000);
      state.setUserObject(DataRouter.SERVER_STATE);
      subscription.addMonitoredItem(state);
    }
    return subscription;
  }

  /**
   * Creates the subscription on the server if it has none (first session, or the server lost it)
   * and creates the items it lacks; items already on the server are left alone.
   */
  private void ensureSubscription() {
    OpcUaClient c = client;
    if (c == null || stopped || subscription == null) {
      return;
    }
    try {
      if (subscription.getSubscriptionId().isEmpty()) {
        subscription.create();
      }
      subscription.synchronizeMonitoredItems();
    } catch (Exception e) {
      if (!stopped) {
        log.warn("source {}: subscription setup failed, retrying: {}", sourceId, e.toString());
        schedule(this::ensureSubscription, SETUP_RETRY.toMillis());
      }
    }
  }

  private void emitIdentities(OpcUaClient c) throws Exception {
    Map<String, Map<String, String>> nameplates = new DeviceResolver(c).readNameplates(resolved);
    String applicationUri = endpoint.getServer().getApplicationUri();
    String thumbprint =
        SecurityPolicy.None.getUri().equals(endpoint.getSecurityPolicyUri())
                || endpoint.getServerCertificate() == null
                || endpoint.getServerCertificate().isNull()
            ? null
            : GatewayPki.thumbprint(endpoint.getServerCertificate().bytesOrEmpty());
    for (Map.Entry<String, Map<String, String>> e : nameplates.entrySet()) {
      Map<String, String> attributes = new HashMap<>();
      attributes.put(DeviceIdentity.APPLICATION_URI, applicationUri);
      attributes.put(DeviceIdentity.CERTIFICATE_THUMBPRINT, thumbprint);
      Map<String, String> plate = e.getValue();
      attributes.put(DeviceIdentity.MANUFACTURER, plate.get("Manufacturer"));
      attributes.put(DeviceIdentity.SERIAL_NUMBER, plate.get("SerialNumber"));
      attributes.put(DeviceIdentity.MODEL, plate.get("Model"));
      attributes.put(DeviceIdentity.PRODUCT_INSTANCE_URI, plate.get("ProductInstanceUri"));
      if (!stopped) {
        context
            .sink()
            .event(
                new DeviceEvent.IdentityObserved(
                    e.getKey(), context.clock().instant(), new DeviceIdentity(attributes)));
      }
    }
  }

  /** The server's state changed (or is known after a new session): status and devices follow. */
  private void onServerState(ServerState state) {
    if (stopped || client == null) {
      return;
    }
    if (state == ServerState.Running) {
      setStatus(State.CONNECTED, connectedDetail());
    } else {
      setStatus(
          State.SERVER_NOT_RUNNING,
          "connected, but the server state is "
              + state.name().toUpperCase(java.util.Locale.ROOT)
              + "; only RUNNING counts as online");
    }
    router.applyServerState(state);
  }

  private String connectedDetail() {
    if (unresolved.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(unresolved.size() + " device(s) not found: ");
    unresolved.forEach((id, why) -> sb.append(id).append(" (").append(why).append("); "));
    return sb.substring(0, sb.length() - 2);
  }

  // ---- plumbing ----

  private void onSetupThread(Runnable task) {
    if (stopped) {
      return;
    }
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // Stopping: the task is moot.
    }
  }

  private void schedule(Runnable task, long delayMillis) {
    try {
      executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Stopping: no more retries.
    }
  }

  private void setStatus(State state, String detail) {
    if (stopped) {
      return;
    }
    forceStatus(state, detail);
  }

  private synchronized void forceStatus(State state, String detail) {
    SourceStatus current = status;
    if (current.state() == state && current.detail().equals(detail)) {
      return;
    }
    status =
        new SourceStatus(
            sourceId,
            OpcUaAdapterProvider.PROTOCOL,
            state,
            detail,
            current.state() == state ? current.since() : context.clock().instant());
    context.sink().sourceStatus(status);
  }

  /** Device ids mapped to their NodeIds, for tests and diagnostics. */
  Map<String, Map<String, NodeId>> resolvedTags() {
    Map<String, Map<String, NodeId>> out = new LinkedHashMap<>();
    resolved.forEach((id, d) -> out.put(id, d.tags()));
    return out;
  }
}
