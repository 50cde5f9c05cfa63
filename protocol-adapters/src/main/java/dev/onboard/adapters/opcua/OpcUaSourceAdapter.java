package dev.onboard.adapters.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import dev.onboard.adapters.opcua.DataRouter.Group;
import dev.onboard.adapters.opcua.DataRouter.NameplateBinding;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
import org.eclipse.milo.opcua.sdk.client.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OPC UA server: one Milo client and one session, with one subscription per publishing interval
 * in use (usually one) holding every device's items, their nameplate properties, {@code
 * ServerStatus.State} and {@code ServiceLevel}.
 *
 * <p>Connecting: until the server has told its endpoints, this adapter retries discovery with a
 * backoff of 1 s doubling to 30 s (there is no Milo client to retry with yet). From then on Milo's
 * session state machine alone connects and reconnects, with its own backoff up to 16 s; this
 * adapter only watches the outcome of each attempt to say in the status why it failed. On every new
 * session a subscription is transferred by Milo or, if the server lost it, created again here once
 * with the same items, so the server never holds duplicates.
 *
 * <p>Threads: setup runs on one thread from {@link AdapterContext#threads()}, which also ticks the
 * devices once a second (keep-alive for quiet devices, frozen values); values arrive on Milo's
 * delivery thread and go straight to the sink.
 *
 * <p>Thread-safety: all public methods may be called from any thread.
 */
final class OpcUaSourceAdapter implements SourceAdapter {

  private static final Logger log = LoggerFactory.getLogger(OpcUaSourceAdapter.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration SETUP_RETRY = Duration.ofSeconds(5);
  private static final Duration TICK = Duration.ofSeconds(1);

  /**
   * After the server refused the gateway's user, the next try waits this long (with a new client):
   * retrying wrong credentials every few seconds can lock the account on some servers, and leaves a
   * never-activated session behind on the server each time.
   */
  private static final Duration AUTH_RETRY = Duration.ofSeconds(60);

  /** Nameplates rarely change; the server checks them this often. */
  private static final double NAMEPLATE_SAMPLING_MS = 5_000;

  /** Notifications per publish response; about 0.7 MB, well inside Milo's 2 MB message limit. */
  private static final int MAX_NOTIFICATIONS_PER_PUBLISH = 20_000;

  private final String sourceId;
  private final OpcUaSourceConfig config;
  private final AdapterContext context;
  private final Map<String, DeviceLiveness> devices = new LinkedHashMap<>();
  private final Map<String, DeviceBinding> bindings = new LinkedHashMap<>();
  private final Nameplates nameplates = new Nameplates();
  private final DataRouter router;
  private final GatewayPki pki;

  private final Object lock = new Object();
  private CompletableFuture<Void> startFuture;
  private CompletableFuture<Void> stopFuture;
  private ScheduledExecutorService executor;
  private volatile OpcUaClient client;
  private volatile boolean stopped;
  private volatile SourceStatus status;
  private volatile String applicationUri;
  private volatile String thumbprint;

  // Touched only on the setup thread.
  private final Map<Duration, Subscription> subscriptions = new LinkedHashMap<>();
  private final Map<String, ResolvedDevice> resolved = new LinkedHashMap<>();
  private final Map<String, String> unresolved = new ConcurrentHashMap<>();
  private int attempts;

  /** A subscription with the listener that knows its devices. */
  private record Subscription(OpcUaSubscription subscription, Group group) {}

  OpcUaSourceAdapter(String sourceId, OpcUaSourceConfig config, AdapterContext context) {
    if (config.policy() != OpcUaSourceConfig.Policy.NONE
        || config.username().isPresent()
        || config.userCertificate().isPresent()) {
      // Only security needs Bouncy Castle: a plain session never loads its ~500 classes (about
      // 3 MiB of metaspace, and its signed jar's manifest on the heap).
      Crypto.ensureProviders();
    }
    this.sourceId = sourceId;
    this.config = config;
    this.context = context;
    for (DeviceBinding d : config.devices()) {
      bindings.put(d.deviceId(), d);
      devices.put(
          d.deviceId(),
          new DeviceLiveness(
              d.deviceId(),
              context.sink(),
              context.clock(),
              config.clockSkewTolerance(),
              d.publishingInterval().plus(d.samplingInterval()),
              config.frozenAfter()));
    }
    this.router =
        new DataRouter(
            context.sink(),
            context.clock(),
            nameplates,
            new DataRouter.Listener() {
              @Override
              public void serverHealthChanged() {
                onSetupThread(OpcUaSourceAdapter.this::onServerHealth);
              }

              @Override
              public void nameplateChanged(String deviceId) {
                emitIdentity(deviceId);
              }

              @Override
              public void subscriptionLost(Group group, String why) {
                log.info("source {}: {}; creating it again", sourceId, why);
                onSetupThread(OpcUaSourceAdapter.this::ensureSubscriptions);
              }
            });
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
      executor.scheduleAtFixedRate(
          this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
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

  /** Closes the session (which deletes its subscriptions on the server), then the setup thread. */
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

  // ---- connecting ----

  /** Discovers the endpoints (retrying) and hands the chosen one to a Milo client, once. */
  private void bootstrap() {
    if (stopped) {
      return;
    }
    OpcUaClient c;
    try {
      if (config.policy() != OpcUaSourceConfig.Policy.NONE) {
        // The gateway's certificate exists from the first start, for an admin to trust it.
        pki.loadOrCreate();
      }
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
                              + config.policy().name().toLowerCase(Locale.ROOT)
                              + config.mode().map(m -> " mode " + m).orElse("")
                              + " (None is used only when pinned with policy: none)"));
      // Servers often advertise a host name the gateway cannot resolve; keep the configured one.
      chosen =
          EndpointUtil.updateUrl(
              chosen,
              EndpointUtil.getHost(config.endpoint()),
              EndpointUtil.getPort(config.endpoint()));
      Failures.checkUserTokens(chosen, config);
      applicationUri = chosen.getServer().getApplicationUri();
      thumbprint =
          SecurityPolicy.None.getUri().equals(chosen.getSecurityPolicyUri())
                  || chosen.getServerCertificate() == null
                  || chosen.getServerCertificate().isNull()
              ? null
              : GatewayPki.thumbprint(chosen.getServerCertificate().bytesOrEmpty());
      c = OpcUaClient.create(clientConfig(chosen));
    } catch (Exception e) {
      if (stopped) {
        return;
      }
      Failures.Failure f = Failures.classify(e, config, pki);
      setStatus(f.state(), f.detail());
      log.info("source {}: {}", sourceId, f.detail());
      long delay = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempts++, 5));
      schedule(this::bootstrap, delay);
      return;
    }
    c.addSessionActivityListener(sessionListener());
    synchronized (lock) {
      if (stopped) {
        return;
      }
      client = c;
    }
    // From here Milo keeps trying, whatever this first attempt's outcome.
    c.connectAsync()
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                reportFailure(c, error);
              }
            });
  }

  /**
   * Reports the outcome of Milo's next connection attempt in the status, and keeps watching until a
   * session is up. Observes only: Milo schedules the attempts.
   */
  private void watchSession(OpcUaClient c) {
    c.getSessionAsync()
        .whenComplete(
            (session, error) -> {
              if (error != null) {
                reportFailure(c, error);
              }
            });
  }

  private void reportFailure(OpcUaClient c, Throwable error) {
    if (stopped || client != c) {
      return;
    }
    StatusCode code =
        org.eclipse.milo.opcua.stack.core.UaException.extractStatusCode(Failures.unwrap(error))
            .orElse(StatusCode.BAD);
    if (code.getValue() != org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_SessionClosed) {
      // Bad_SessionClosed only says no attempt is under way right now; the next one tells more.
      Failures.Failure f = Failures.classify(error, config, pki);
      if (f.state() != status.state() || !f.detail().equals(status.detail())) {
        log.info("source {}: {}", sourceId, f.detail());
      }
      if (f.state() == State.AUTH_FAILED) {
        setStatus(f.state(), f.detail() + "; next try in " + AUTH_RETRY.toSeconds() + " s");
        synchronized (lock) {
          if (client != c) {
            return;
          }
          client = null;
        }
        c.disconnectAsync();
        schedule(this::bootstrap, AUTH_RETRY.toMillis());
        return;
      }
      setStatus(f.state(), f.detail());
    }
    schedule(() -> watchSession(c), 1_000);
  }

  private OpcUaClientConfig clientConfig(EndpointDescription chosen) throws Exception {
    OpcUaClientConfigBuilder b =
        OpcUaClientConfig.builder()
            .setApplicationName(LocalizedText.english("Onboard gateway " + sourceId))
            .setApplicationUri(pki.applicationUri())
            .setProductUri("urn:onboard:gateway")
            .setEndpoint(chosen)
            .setRequestTimeout(uint(15_000))
            // With two publish requests out, Milo 1.1.2 may process their responses in the wrong
            // order, take that for a gap, republish and deliver messages twice, again and again.
            // One request out loses no throughput here: the next is sent once a response has been
            // delivered, whatever the setting.
            .setMaxPendingPublishRequests(uint(1))
            .setCertificateValidator(pki.validator());
    if (!SecurityPolicy.None.getUri().equals(chosen.getSecurityPolicyUri())) {
      pki.loadOrCreate();
      b.setKeyPair(pki.keyPair())
          .setCertificate(pki.certificate())
          .setCertificateChain(new java.security.cert.X509Certificate[] {pki.certificate()});
    }
    if (config.username().isPresent()) {
      b.setIdentityProvider(
          new UsernameProvider(config.username().get(), config.password().orElseThrow().reveal()));
    } else if (config.userCertificate().isPresent()) {
      OpcUaSourceConfig.UserCertificate u = config.userCertificate().get();
      b.setIdentityProvider(new X509IdentityProvider(u.certificate(), u.privateKey()));
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
        router.sessionDown();
        String cause = "session to " + config.endpoint() + " closed";
        devices.values().forEach(d -> d.disconnect(cause));
        setStatus(State.CONNECTING, "session to " + config.endpoint() + " lost; reconnecting");
        OpcUaClient c = client;
        if (c != null) {
          watchSession(c);
        }
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
      List<DataValue> health =
          c.readValues(
              0,
              TimestampsToReturn.Neither,
              List.of(NodeIds.Server_ServerStatus_State, NodeIds.Server_ServiceLevel));
      router.sessionUp(
          DataRouter.serverStateOf(health.get(0)), DataRouter.serviceLevelOf(health.get(1)));
      resolveDevices(c);
      readNameplates(c);
      ensureSubscriptions();
      onServerHealth();
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

  /** Resolves devices not resolved yet and adds their items to their subscriptions. */
  private void resolveDevices(OpcUaClient c) throws Exception {
    List<DeviceBinding> todo =
        config.devices().stream().filter(d -> !resolved.containsKey(d.deviceId())).toList();
    if (todo.isEmpty()) {
      return;
    }
    Map<String, Object> found = new DeviceResolver(c).resolve(todo, config.browse());
    Map<Duration, List<OpcUaMonitoredItem>> items = new LinkedHashMap<>();
    for (DeviceBinding d : todo) {
      Object r = found.get(d.deviceId());
      if (r instanceof ResolvedDevice device) {
        resolved.put(d.deviceId(), device);
        unresolved.remove(d.deviceId());
        items
            .computeIfAbsent(d.publishingInterval(), k -> new ArrayList<>())
            .addAll(itemsFor(d, device));
        items
            .computeIfAbsent(config.subscription().publishingInterval(), k -> new ArrayList<>())
            .addAll(nameplateItems(d.deviceId(), device));
      } else {
        unresolved.put(d.deviceId(), String.valueOf(r));
        log.warn("source {}: device {} not found: {}", sourceId, d.deviceId(), r);
      }
    }
    subscription(c, config.subscription().publishingInterval());
    items.forEach(
        (interval, list) -> subscription(c, interval).subscription().addMonitoredItems(list));
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
      if (binding.deadband() > 0) {
        item.setFilter(
            new DataChangeFilter(
                DataChangeTrigger.StatusValue,
                uint(DeadbandType.Absolute.getValue()),
                binding.deadband()));
      }
      item.setUserObject(new TagBinding(liveness, i, tags[i]));
      items.add(item);
    }
    return items;
  }

  private static List<OpcUaMonitoredItem> nameplateItems(String deviceId, ResolvedDevice device) {
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    device
        .nameplate()
        .forEach(
            (property, node) -> {
              OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node);
              item.setSamplingInterval(NAMEPLATE_SAMPLING_MS);
              item.setQueueSize(uint(1));
              item.setUserObject(new NameplateBinding(deviceId, property));
              items.add(item);
            });
    return items;
  }

  /** The subscription for a publishing interval, made (not yet created on the server) if new. */
  private Subscription subscription(OpcUaClient c, Duration publishingInterval) {
    Subscription s = subscriptions.get(publishingInterval);
    if (s != null) {
      return s;
    }
    List<DeviceLiveness> members = new ArrayList<>();
    bindings.forEach(
        (id, b) -> {
          if (b.publishingInterval().equals(publishingInterval)) {
            members.add(devices.get(id));
          }
        });
    OpcUaSubscription sub = new OpcUaSubscription(c, (double) publishingInterval.toMillis());
    sub.setMaxNotificationsPerPublish(uint(MAX_NOTIFICATIONS_PER_PUBLISH));
    Group group = router.new Group(publishingInterval, members);
    sub.setSubscriptionListener(group);
    if (publishingInterval.equals(config.subscription().publishingInterval())) {
      sub.addMonitoredItem(healthItem(NodeIds.Server_ServerStatus_State, DataRouter.SERVER_STATE));
      sub.addMonitoredItem(healthItem(NodeIds.Server_ServiceLevel, DataRouter.SERVICE_LEVEL));
    }
    s = new Subscription(sub, group);
    subscriptions.put(publishingInterval, s);
    return s;
  }

  private static OpcUaMonitoredItem healthItem(NodeId node, Object userObject) {
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node);
    item.setSamplingInterval(1000);
    item.setUserObject(userObject);
    return item;
  }

  /**
   * Creates each subscription on the server if it has none there (first session, or the server lost
   * it) and creates the items it lacks; items already on the server are left alone. An item the
   * server refuses (e.g. its node is gone) is dropped and its device reported in the status.
   */
  private void ensureSubscriptions() {
    OpcUaClient c = client;
    if (c == null || stopped) {
      return;
    }
    boolean retry = false;
    for (Subscription s : subscriptions.values()) {
      try {
        if (s.subscription().getSubscriptionId().isEmpty()) {
          s.group().devices().forEach(DeviceLiveness::resubscribed);
          s.subscription().create();
        }
        s.subscription().synchronizeMonitoredItems();
      } catch (MonitoredItemSynchronizationException e) {
        retry |= dropRefusedItems(s.subscription(), e);
      } catch (Exception e) {
        if (stopped) {
          return;
        }
        log.warn("source {}: subscription setup failed, retrying: {}", sourceId, e.toString());
        retry = true;
      }
    }
    if (retry) {
      schedule(this::ensureSubscriptions, SETUP_RETRY.toMillis());
    }
  }

  /**
   * @return whether a service-level failure calls for another attempt
   */
  private boolean dropRefusedItems(
      OpcUaSubscription subscription, MonitoredItemSynchronizationException e) {
    boolean serviceFailure = false;
    List<OpcUaMonitoredItem> refused = new ArrayList<>();
    for (MonitoredItemServiceOperationResult r : e.getCreateResults()) {
      if (!r.serviceResult().isGood()) {
        serviceFailure = true;
        continue;
      }
      StatusCode op = r.operationResult().orElse(StatusCode.GOOD);
      if (op.isGood()) {
        continue;
      }
      refused.add(r.monitoredItem());
      Object binding = r.monitoredItem().getUserObject().orElse(null);
      if (binding instanceof TagBinding tag) {
        String why = "the server refused tag " + tag.tag() + " (" + Values.name(op) + ")";
        unresolved.merge(tag.device().deviceId(), why, (a, b) -> a + "; " + b);
        log.warn("source {}: device {}: {}", sourceId, tag.device().deviceId(), why);
      } else {
        log.warn("source {}: the server refused {} ({})", sourceId, binding, Values.name(op));
      }
    }
    subscription.removeMonitoredItems(refused);
    return serviceFailure;
  }

  private void readNameplates(OpcUaClient c) throws Exception {
    Map<String, Map<String, String>> read = new DeviceResolver(c).readNameplates(resolved);
    read.forEach(nameplates::replace);
    read.keySet().forEach(this::emitIdentity);
  }

  /** Reports what the equipment says about a device now: server identity plus its nameplate. */
  private void emitIdentity(String deviceId) {
    if (stopped) {
      return;
    }
    Map<String, String> plate = nameplates.get(deviceId);
    Map<String, String> attributes = new HashMap<>();
    attributes.put(DeviceIdentity.APPLICATION_URI, applicationUri);
    attributes.put(DeviceIdentity.CERTIFICATE_THUMBPRINT, thumbprint);
    attributes.put(DeviceIdentity.MANUFACTURER, plate.get("Manufacturer"));
    attributes.put(DeviceIdentity.SERIAL_NUMBER, plate.get("SerialNumber"));
    attributes.put(DeviceIdentity.MODEL, plate.get("Model"));
    attributes.put(DeviceIdentity.PRODUCT_INSTANCE_URI, plate.get("ProductInstanceUri"));
    context
        .sink()
        .event(
            new DeviceEvent.IdentityObserved(
                deviceId, context.clock().instant(), new DeviceIdentity(attributes)));
  }

  /** The server's state or ServiceLevel changed (or is known after a new session). */
  private void onServerHealth() {
    if (stopped || client == null || !router.isSessionUp()) {
      return;
    }
    String reason = router.notServingReason();
    if (reason == null) {
      setStatus(State.CONNECTED, connectedDetail());
    } else {
      setStatus(
          State.SERVER_NOT_RUNNING,
          "connected, but "
              + reason
              + "; only a RUNNING server with ServiceLevel "
              + DataRouter.MIN_SERVING_LEVEL
              + " or more counts as online");
    }
    router.applyServerHealth(devices.values());
  }

  private String connectedDetail() {
    List<String> notes = new ArrayList<>();
    int level = router.serviceLevel();
    if (level < 200) {
      notes.add("server ServiceLevel " + level + " (degraded)");
    }
    if (!unresolved.isEmpty()) {
      StringBuilder sb = new StringBuilder(unresolved.size() + " device(s) not found: ");
      unresolved.forEach((id, why) -> sb.append(id).append(" (").append(why).append("); "));
      notes.add(sb.substring(0, sb.length() - 2));
    }
    long lost = router.lostMessages();
    if (lost > 0) {
      notes.add(lost + " notification message(s) lost");
    }
    long overflows = router.overflows();
    if (overflows > 0) {
      notes.add(
          overflows
              + " value(s) lost to full server queues (raise queueSize or the gateway cannot"
              + " keep up)");
    }
    return String.join("; ", notes);
  }

  /** Once a second: keep-alive for quiet devices, frozen values, and the status's details. */
  private void tick() {
    if (stopped) {
      return;
    }
    try {
      if (router.live()) {
        java.time.Instant now = context.clock().instant();
        for (Subscription s : subscriptions.values()) {
          if (s.group().answering()) {
            for (DeviceLiveness d : s.group().devices()) {
              d.aliveTick(now, TICK);
            }
          }
        }
        if (status.state() == State.CONNECTED) {
          setStatus(State.CONNECTED, connectedDetail());
        }
      }
    } catch (RuntimeException e) {
      log.warn("source {}: device tick failed", sourceId, e);
    }
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

  /** Values the server marked as overflowed (its queue for the item was full), for diagnostics. */
  long overflows() {
    return router.overflows();
  }

  /** Notification messages lost for good (missed and not republished), for diagnostics. */
  long lostMessages() {
    return router.lostMessages();
  }

  /** The current clock skew of a device, for diagnostics. */
  Optional<Duration> skew(String deviceId) {
    return Optional.ofNullable(devices.get(deviceId)).map(DeviceLiveness::skew);
  }
}
