package dev.onboard.simulator.opcua;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.X509IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.model.objects.ServerTypeNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ServerState;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated OPC UA server: a real Eclipse Milo server whose {@code Objects/Devices} folder holds
 * the configured devices, with fault controls for tests and demos.
 *
 * <p>Lifecycle: {@link #start()} and {@link #stop()} are idempotent. {@code stop()} keeps the port,
 * so {@code start()} after it is a restart on the same endpoint URL, as a power-cycled PLC would
 * be. Device faults and nameplates survive a restart; the server state and ServiceLevel do not (a
 * restarted server runs at ServiceLevel 255).
 *
 * <p>Devices update on a small pool of threads: devices with the same update interval share one
 * periodic task per 250 devices, so a thousand devices cost a handful of wake-ups per interval.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class SimulatedOpcUaServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SimulatedOpcUaServer.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final SimulatedOpcUaServerConfig config;
  private final Map<String, SimulatedDevice> devices = new LinkedHashMap<>();
  private final LongAdder reported = new LongAdder();
  private int port;

  private OpcUaServer server;
  private DeviceNamespace namespace;
  private ScheduledExecutorService ticker;

  public SimulatedOpcUaServer(SimulatedOpcUaServerConfig config) {
    // Aes256_Sha256_RsaPss signs with SHA256withRSA/PSS, which only Bouncy Castle offers.
    synchronized (SimulatedOpcUaServer.class) {
      if (java.security.Security.getProvider("BC") == null) {
        java.security.Security.addProvider(
            new org.bouncycastle.jce.provider.BouncyCastleProvider());
      }
    }
    this.config = config;
    this.port = config.port();
    Instant born = Instant.now();
    for (OpcUaDeviceSpec spec : config.devices()) {
      devices.put(spec.name(), new SimulatedDevice(spec, born, reported));
    }
  }

  public SimulatedOpcUaServerConfig config() {
    return config;
  }

  /**
   * Starts the server (or starts it again after {@link #stop()}, on the same port); completes when
   * it accepts connections. Does nothing if it is already running.
   */
  public synchronized CompletableFuture<Void> start() {
    if (server != null) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      if (port == 0) {
        port = freePort(config.bindAddress());
      }
      X509Certificate certificate =
          SimulatorCertificates.certificate(config.applicationUri(), config.bindAddress());
      OpcUaServer s =
          new OpcUaServer(
              serverConfig(certificate),
              profile ->
                  new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
      DeviceNamespace ns = new DeviceNamespace(s, List.copyOf(devices.values()));
      ns.startup();
      s.startup().get(30, TimeUnit.SECONDS);
      server = s;
      namespace = ns;
      ticker = startTicker();
      log.info("simulated OPC UA server {} listening at {}", config.name(), endpointUrl());
      return CompletableFuture.completedFuture(null);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Stops the server as a power cut would: sessions are dropped without goodbye. Keeps the port for
   * a later {@link #start()}. Does nothing if it is not running.
   */
  public synchronized CompletableFuture<Void> stop() {
    if (server == null) {
      return CompletableFuture.completedFuture(null);
    }
    // Reverse order of start: stop producing values, then the namespace, then the server.
    ticker.shutdownNow();
    namespace.shutdown();
    OpcUaServer s = server;
    server = null;
    namespace = null;
    ticker = null;
    try {
      s.shutdown().get(30, TimeUnit.SECONDS);
      return CompletableFuture.completedFuture(null);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() {
    stop().join();
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** The endpoint URL, e.g. {@code opc.tcp://127.0.0.1:4840/onboard}; known after first start. */
  public synchronized String endpointUrl() {
    return "opc.tcp://" + hostname() + ":" + port + config.path();
  }

  /** The TCP port; 0 until the first start when the config asked for a free one. */
  public synchronized int port() {
    return port;
  }

  /** The namespace index of {@code urn:onboard:simulator} on the running server. */
  public synchronized int namespaceIndex() {
    requireRunning();
    return namespace.getNamespaceIndex().intValue();
  }

  /** Sessions the running server holds now; 0 when stopped. */
  public synchronized int sessionCount() {
    return server == null ? 0 : server.getSessionManager().getCurrentSessionCount().intValue();
  }

  /**
   * A session the server holds: its security and who opened it.
   *
   * @param user {@code anonymous}, the username, or the X.509 user certificate's subject; empty for
   *     a session created but never activated (e.g. its user was refused)
   */
  public record SessionInfo(SecurityPolicy policy, MessageSecurityMode mode, String user) {
    /** Whether a user was accepted on this session. */
    public boolean activated() {
      return !user.isEmpty();
    }
  }

  /** The sessions the running server holds now; empty when stopped. */
  public synchronized List<SessionInfo> sessions() {
    if (server == null) {
      return List.of();
    }
    List<SessionInfo> out = new ArrayList<>();
    for (org.eclipse.milo.opcua.sdk.server.Session s :
        server.getSessionManager().getAllSessions()) {
      var identity = s.getIdentity();
      String user =
          identity instanceof org.eclipse.milo.opcua.sdk.server.identity.Identity.UsernameIdentity u
              ? u.getUsername()
              : identity
                      instanceof
                      org.eclipse.milo.opcua.sdk.server.identity.Identity.X509UserIdentity x
                  ? x.getCertificate().getSubjectX500Principal().getName()
                  : identity == null ? "" : "anonymous";
      out.add(
          new SessionInfo(
              s.getSecurityConfiguration().getSecurityPolicy(),
              s.getSecurityConfiguration().getSecurityMode(),
              user));
    }
    return out;
  }

  /** Monitored items across all sessions of the running server; 0 when stopped. */
  public synchronized long monitoredItemCount() {
    return server == null ? 0 : server.getMonitoredItemCount().get();
  }

  /** The SHA-1 thumbprint of the server's certificate, lower-case hex. */
  public String certificateThumbprint() {
    return thumbprint(
        SimulatorCertificates.certificate(config.applicationUri(), config.bindAddress()));
  }

  /** The server's application certificate, e.g. for a test to put into a trust list. */
  public X509Certificate certificate() {
    return SimulatorCertificates.certificate(config.applicationUri(), config.bindAddress());
  }

  /**
   * Values handed to clients' monitored items since this object was made, across restarts: every
   * device update times the items watching it, plus each item's first value. A client that missed
   * none received exactly this many (deadband filters aside).
   */
  public long valuesReported() {
    return reported.sum();
  }

  // ---- faults ----

  /** The device drops off: its variables report Bad_NoCommunication until {@link #startDevice}. */
  public void stopDevice(String name) {
    device(name).setStopped(true);
  }

  public void startDevice(String name) {
    device(name).setStopped(false);
  }

  /** A frozen device keeps its last values and source timestamps: no change is ever reported. */
  public void freezeDevice(String name, boolean frozen) {
    device(name).setFrozen(frozen);
  }

  /** Values keep coming but with StatusCode Bad_SensorFailure; {@code false} makes them Good. */
  public void setBadQuality(String name, boolean bad) {
    setStatusCode(name, bad ? StatusCodes.Bad_SensorFailure : StatusCodes.Good);
  }

  /**
   * Values keep coming with this StatusCode, e.g. {@code StatusCodes.Uncertain_LastUsableValue};
   * {@code StatusCodes.Good} restores good values.
   */
  public void setStatusCode(String name, long statusCode) {
    device(name).setStatus(new StatusCode(statusCode));
  }

  /** The device's clock runs {@code skew} ahead (negative: behind) in its source timestamps. */
  public void skewClock(String name, Duration skew) {
    device(name).setSkew(skew);
  }

  /**
   * Changes the SerialNumber nameplate at runtime; the ProductInstanceUri follows, as it is made of
   * manufacturer, model and serial.
   */
  public synchronized void setSerialNumber(String name, String serial) {
    SimulatedDevice d = device(name);
    SimulatedDevice.Nameplate p = d.nameplate();
    d.setNameplate(new SimulatedDevice.Nameplate(p.manufacturer(), serial, p.model()));
    if (namespace != null) {
      namespace.showNameplate(d);
    }
  }

  /**
   * Device {@code name} presents the nameplate of device {@code original} (manufacturer, model,
   * serial and so ProductInstanceUri): the same serial twice, as a cloned or mislabelled unit
   * would.
   */
  public synchronized void presentSameSerialAs(String name, String original) {
    SimulatedDevice d = device(name);
    d.setNameplate(device(original).nameplate());
    if (namespace != null) {
      namespace.showNameplate(d);
    }
  }

  /** The SerialNumber the device shows now. */
  public String serialNumber(String name) {
    return device(name).nameplate().serialNumber();
  }

  /** Sets Server/ServerStatus/State, e.g. {@link ServerState#Test}; only Running counts as live. */
  public synchronized void setServerState(ServerState state) {
    serverNode().getServerStatusNode().setState(state);
  }

  /**
   * Sets Server/ServiceLevel: 0 maintenance, 1 no data, 2–199 degraded, 200–255 healthy (OPC UA
   * Part 4, 6.6.2.4.2).
   */
  public synchronized void setServiceLevel(int level) {
    if (level < 0 || level > 255) {
      throw new IllegalArgumentException("ServiceLevel is 0..255: " + level);
    }
    serverNode().setServiceLevel(UByte.valueOf(level));
  }

  /** The names of the devices, in configuration order. */
  public List<String> deviceNames() {
    return List.copyOf(devices.keySet());
  }

  // ---- internals ----

  private SimulatedDevice device(String name) {
    SimulatedDevice d = devices.get(name);
    if (d == null) {
      throw new IllegalArgumentException(
          "no device " + name + " on server " + config.name() + "; devices: " + devices.keySet());
    }
    return d;
  }

  private void requireRunning() {
    if (server == null) {
      throw new IllegalStateException("server " + config.name() + " is not running");
    }
  }

  private ServerTypeNode serverNode() {
    requireRunning();
    return (ServerTypeNode)
        server
            .getAddressSpaceManager()
            .getManagedNode(NodeIds.Server)
            .orElseThrow(() -> new IllegalStateException("no Server object"));
  }

  private static final int DEVICES_PER_TASK = 250;

  private ScheduledExecutorService startTicker() {
    ScheduledExecutorService t =
        Executors.newScheduledThreadPool(
            Math.min(2, Math.max(1, devices.size() / DEVICES_PER_TASK)),
            r -> {
              Thread th =
                  new Thread(
                      r, "opcua-sim-" + config.name() + "-tick-" + THREADS.incrementAndGet());
              th.setDaemon(true);
              return th;
            });
    Map<Long, List<SimulatedDevice>> byInterval = new LinkedHashMap<>();
    for (SimulatedDevice d : devices.values()) {
      byInterval
          .computeIfAbsent(d.spec().updateInterval().toMillis(), k -> new ArrayList<>())
          .add(d);
    }
    byInterval.forEach(
        (ms, group) -> {
          for (int from = 0; from < group.size(); from += DEVICES_PER_TASK) {
            List<SimulatedDevice> chunk =
                List.copyOf(group.subList(from, Math.min(group.size(), from + DEVICES_PER_TASK)));
            t.scheduleAtFixedRate(() -> tick(chunk), 0, ms, TimeUnit.MILLISECONDS);
          }
        });
    return t;
  }

  private static void tick(List<SimulatedDevice> chunk) {
    Instant now = Instant.now();
    for (SimulatedDevice d : chunk) {
      try {
        d.tick(now);
      } catch (RuntimeException e) {
        log.warn("device {} failed to update", d.spec().name(), e);
      }
    }
  }

  private OpcUaServerConfig serverConfig(X509Certificate certificate) throws Exception {
    return OpcUaServerConfig.builder()
        .setApplicationUri(config.applicationUri())
        .setApplicationName(LocalizedText.english("Onboard simulator " + config.name()))
        .setProductUri("urn:onboard:simulator")
        .setBuildInfo(
            new BuildInfo(
                "urn:onboard:simulator",
                "Onboard",
                "Onboard OPC UA simulator",
                OpcUaServer.SDK_VERSION,
                "",
                DateTime.now()))
        .setEndpoints(endpoints(certificate))
        .setCertificateManager(SimulatorCertificates.manager(certificate))
        .setIdentityValidator(identityValidator())
        .build();
  }

  private IdentityValidator identityValidator() {
    if (config.anonymous()) {
      return AnonymousIdentityValidator.INSTANCE;
    }
    List<IdentityValidator> validators = new ArrayList<>();
    if (!config.users().isEmpty()) {
      Map<String, String> users = config.users();
      validators.add(
          new UsernameIdentityValidator(
              challenge -> {
                String expected = users.get(challenge.getUsername());
                return expected != null
                    && java.security.MessageDigest.isEqual(
                        expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        challenge.getPassword().getBytes(java.nio.charset.StandardCharsets.UTF_8));
              }));
    }
    if (!config.userCertificates().isEmpty()) {
      List<X509Certificate> accepted = config.userCertificates();
      validators.add(new X509IdentityValidator(accepted::contains));
    }
    return validators.size() == 1 ? validators.get(0) : new CompositeValidator(validators);
  }

  private Set<EndpointConfig> endpoints(X509Certificate certificate) {
    Set<EndpointConfig> out = new LinkedHashSet<>();
    EndpointConfig.Builder base =
        EndpointConfig.newBuilder()
            .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
            .setBindAddress(config.bindAddress())
            .setBindPort(port)
            .setHostname(hostname())
            .setPath(config.path())
            .setCertificate(certificate);
    if (config.anonymous()) {
      base.addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
    }
    if (!config.users().isEmpty()) {
      base.addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
    }
    if (!config.userCertificates().isEmpty()) {
      base.addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_X509);
    }
    for (SimulatedOpcUaServerConfig.Security security : config.security()) {
      out.add(
          base.copy()
              .setSecurityPolicy(security.policy())
              .setSecurityMode(security.mode())
              .build());
    }
    if (!config.security().contains(SimulatedOpcUaServerConfig.Security.NONE)) {
      // Clients discover endpoints over an unsecured channel; without this a secured-only
      // server could not even tell them which security it wants.
      out.add(
          EndpointConfig.newBuilder()
              .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
              .setBindAddress(config.bindAddress())
              .setBindPort(port)
              .setHostname(hostname())
              .setPath(config.path() + "/discovery")
              .setCertificate(certificate)
              .setSecurityPolicy(SecurityPolicy.None)
              .setSecurityMode(MessageSecurityMode.None)
              .build());
    }
    return out;
  }

  private String hostname() {
    String bind = config.bindAddress();
    return bind.equals("0.0.0.0") ? "127.0.0.1" : bind;
  }

  private static int freePort(String bindAddress) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
      return socket.getLocalPort();
    }
  }

  static String thumbprint(X509Certificate certificate) {
    try {
      byte[] sha1 =
          java.security.MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
      return java.util.HexFormat.of().formatHex(sha1);
    } catch (Exception e) {
      throw new IllegalStateException("cannot hash a certificate", e);
    }
  }

  /** For logs: the server name, URL and devices. */
  @Override
  public String toString() {
    return "SimulatedOpcUaServer["
        + config.name()
        + " "
        + endpointUrl()
        + " "
        + new ArrayList<>(devices.keySet())
        + "]";
  }
}
