package dev.onboard.simulator;

import dev.onboard.simulator.mqtt.DeviceKind;
import dev.onboard.simulator.mqtt.sparkplug.EdgeNodeSpec;
import dev.onboard.simulator.mqtt.sparkplug.SparkplugDeviceSpec;
import dev.onboard.simulator.mqtt.sparkplug.SparkplugFleet;
import dev.onboard.simulator.opcua.OpcUaDeviceKind;
import dev.onboard.simulator.opcua.OpcUaFleet;
import dev.onboard.simulator.opcua.SimulatedOpcUaServer;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the demo factory, or a fleet described by flags, and runs it until Ctrl-C. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Run a simulated factory: by default an OPC UA server with 5 machines and 5 MQTT devices on"
          + " an embedded broker; --opcua-servers/--opcua-devices/... describe another OPC UA fleet,"
          + " --sparkplug-nodes N --sparkplug-devices M add Sparkplug B edge nodes, --mqtt-broker URL"
          + " uses an external broker instead of the embedded one.",
      "Faults: --fault '10s opcua plant-1/CNC-0001 freeze' (repeatable) or --scenario FILE with one"
          + " such line each. OPC UA faults: on a server stop | start | restart [DOWNTIME] | state"
          + " TEST|RUNNING|... | service-level N; on SERVER/DEVICE or SERVER/* drop | restore |"
          + " freeze | thaw | status Bad_SensorFailure|Good|... | skew [-]DURATION | serial TEXT |"
          + " same-serial-as DEVICE.",
      "JSON MQTT device faults ('15s mqtt press-01 kill'), on a DEVICE or *: kill (Will) | stop |"
          + " disconnect (no Will) | start | freeze | thaw | skew [-]DURATION | serial TEXT |"
          + " same-serial-as DEVICE | malformed [not-json|missing-field|wrong-type|oversize] |"
          + " replay.",
      "Sparkplug faults ('20s sparkplug edge-01 kill'): on a NODE kill (Will) | disconnect (no"
          + " Will) | stop | start | rebirth | skip-seq [N] | replay [BACK] | stale-death | skew"
          + " [-]DURATION | freeze | thaw | malformed [KIND]; on NODE/DEVICE or NODE/* malformed"
          + " [not-protobuf|oversize|unknown-alias|wrong-type|no-seq] | serial TEXT | same-serial-as"
          + " DEVICE | historical [N] | ddeath."
    })
public final class SimulatorMain implements Callable<Integer> {

  @Option(
      names = "--opcua-port",
      defaultValue = "4840",
      description =
          "OPC UA port of the first server (the next ones count up), 0 for free ones (default ${DEFAULT-VALUE})")
  int opcuaPort;

  @Option(
      names = "--mqtt-port",
      defaultValue = "1883",
      description = "embedded MQTT broker port, 0 for a free one (default ${DEFAULT-VALUE})")
  int mqttPort;

  @Option(
      names = "--opcua-servers",
      description = "OPC UA servers plant-1..plant-N instead of the demo's one (default 1)")
  Integer opcuaServers;

  @Option(
      names = "--opcua-devices",
      description = "devices on each OPC UA server, kinds in turn (default 5)")
  Integer opcuaDevices;

  @Option(
      names = "--opcua-tags",
      description = "signals per device, 5 to 104: the kind's 5 plus Aux01.. (default 5)")
  Integer opcuaTags;

  @Option(
      names = "--opcua-interval",
      description = "how often each device updates every signal, e.g. 100ms (default 1s)")
  String opcuaInterval;

  @Option(
      names = "--opcua-kinds",
      split = ",",
      description =
          "device kinds taken in turn: cnc, injection-moulding, air-compressor, energy-meter (default all)")
  List<String> opcuaKinds;

  @Option(
      names = "--opcua-security",
      split = ",",
      description =
          "endpoints each server offers: none, basic256sha256-sign, basic256sha256-sign-and-encrypt,"
              + " aes128-sha256-rsaoaep-sign[-and-encrypt], aes256-sha256-rsapss-sign[-and-encrypt],"
              + " or all (default all)")
  List<String> opcuaSecurity;

  @Option(
      names = "--opcua-user",
      description =
          "the servers accept only this user (anonymous refused); the password is read from the"
              + " environment variable named by --opcua-password-env")
  String opcuaUser;

  @Option(
      names = "--opcua-password-env",
      defaultValue = "SIM_OPCUA_PASSWORD",
      description =
          "environment variable holding --opcua-user's password (default ${DEFAULT-VALUE})")
  String opcuaPasswordEnv;

  @Option(
      names = "--opcua-only",
      description = "start only the OPC UA servers: no MQTT broker or devices")
  boolean opcuaOnly;

  @Option(
      names = "--sparkplug-nodes",
      description =
          "Sparkplug B edge nodes <prefix>-01..-N in group --sparkplug-group (default none)")
  Integer sparkplugNodes;

  @Option(
      names = "--sparkplug-devices",
      description = "devices on each edge node, <node>-d01.., kinds in turn (default 2)")
  Integer sparkplugDevices;

  @Option(
      names = "--sparkplug-kinds",
      split = ",",
      description =
          "device kinds taken in turn: press, cnc, meter, bench (default press,cnc,meter)")
  List<String> sparkplugKinds;

  @Option(
      names = "--sparkplug-interval",
      description = "how often each device publishes a DDATA, e.g. 100ms (default 1s)")
  String sparkplugInterval;

  @Option(
      names = "--sparkplug-group",
      defaultValue = "plant",
      description = "the edge nodes' Sparkplug group id (default ${DEFAULT-VALUE})")
  String sparkplugGroup;

  @Option(
      names = "--sparkplug-prefix",
      defaultValue = "edge",
      description = "edge node ids are <prefix>-01, <prefix>-02, ... (default ${DEFAULT-VALUE})")
  String sparkplugPrefix;

  @Option(
      names = "--sparkplug-only",
      description =
          "start only the Sparkplug edge nodes (and the broker): no OPC UA, no JSON devices")
  boolean sparkplugOnly;

  @Option(
      names = "--mqtt-broker",
      description =
          "an external broker for the MQTT devices and edge nodes, e.g. tcp://127.0.0.1:1883;"
              + " the embedded broker is not started")
  String mqttBroker;

  @Option(
      names = "--fault",
      description =
          "a fault: 'AT PROTOCOL TARGET FAULT [ARGS]', e.g. '30s opcua plant-1 restart 5s'")
  List<String> faults = new ArrayList<>();

  @Option(names = "--scenario", description = "a file of faults, one --fault line each, # comments")
  Path scenario;

  @Option(
      names = "--faults-from-stdin",
      description =
          "apply each line read from standard input as a fault now, e.g. 'opcua plant-1/* freeze'")
  boolean faultsFromStdin;

  @Option(
      names = "--stats",
      description =
          "every this often, print 'stats opcua reported=N rate=R/s' and, with edge nodes, 'stats"
              + " sparkplug published=N rate=R/s' (messages) (e.g. 1s)")
  String stats;

  // Counted down by Ctrl-C (the shutdown hook) or stop(): the factory then closes.
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimulatorMain()).execute(args));
  }

  /** Ends a running {@link #call()} as Ctrl-C would: the factory closes, call returns 0. */
  void stop() {
    stopRequested.countDown();
  }

  @Override
  public Integer call() throws Exception {
    FactorySpec spec = spec();
    List<Fault> scenarioFaults = scenario();
    try (SimulatedFactory factory = new SimulatedFactory(spec)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stopRequested.countDown();
                    try {
                      // Let the edge nodes send their NDEATH before the JVM goes.
                      closed.await(15, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  "simulator-shutdown"));
      run(factory, spec, scenarioFaults);
    } finally {
      closed.countDown();
    }
    return 0;
  }

  private void run(SimulatedFactory factory, FactorySpec spec, List<Fault> scenarioFaults)
      throws InterruptedException {
    factory.check(scenarioFaults);
    factory.start();
    for (SimulatedOpcUaServer s : factory.opcuaServers()) {
      List<String> names = s.deviceNames();
      System.out.printf(
          "OPC UA %s: %s  devices %s%n",
          s.config().name(),
          s.endpointUrl(),
          names.size() <= 10
              ? names
              : names.subList(0, 3)
                  + " ... "
                  + names.get(names.size() - 1)
                  + " ("
                  + names.size()
                  + ")");
    }
    if (!spec.mqttDevices().isEmpty()) {
      System.out.printf(
          "MQTT broker: %s  devices publish to factory/{enterprise}/{device}/telemetry: %s%n",
          factory.mqttUrl(),
          spec.mqttDevices().stream().map(d -> d.enterprise() + "/" + d.name()).toList());
    }
    if (!spec.sparkplugNodes().isEmpty()) {
      List<EdgeNodeSpec> nodes = spec.sparkplugNodes();
      EdgeNodeSpec first = nodes.get(0);
      System.out.printf(
          "Sparkplug B: %s  %d edge nodes in group %s, %d devices each: %s%n",
          factory.mqttUrl(),
          nodes.size(),
          first.group(),
          first.devices().size(),
          nodes.size() <= 5
              ? nodes.stream().map(SimulatorMain::describe).toList()
              : describe(first) + " ... " + nodes.get(nodes.size() - 1).edgeNode());
    }
    factory.schedule(scenarioFaults);
    if (stats != null) {
      printStats(factory, positive(stats, "--stats"));
    }
    if (faultsFromStdin) {
      readFaults(factory);
    }
    System.out.println("Running; Ctrl-C stops.");
    System.out.flush();
    stopRequested.await();
  }

  private static String describe(EdgeNodeSpec node) {
    return node.edgeNode() + " " + node.devices().stream().map(SparkplugDeviceSpec::name).toList();
  }

  /** The faults of --scenario, then those of --fault. */
  List<Fault> scenario() throws java.io.IOException {
    List<Fault> out = new ArrayList<>();
    if (scenario != null) {
      out.addAll(Fault.readScenario(scenario));
    }
    for (String f : faults) {
      out.add(Fault.parse(f, "--fault"));
    }
    return out;
  }

  /**
   * The factory the flags describe: the demo's unless an --opcua-* fleet flag is given, plus any
   * Sparkplug edge nodes.
   */
  FactorySpec spec() {
    if (opcuaOnly && (sparkplugOnly || sparkplugNodes != null || mqttBroker != null)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--opcua-only starts no MQTT: it cannot go with --sparkplug-* or --mqtt-broker");
    }
    List<EdgeNodeSpec> nodes = sparkplugSpecs();
    if (sparkplugOnly && nodes.isEmpty()) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--sparkplug-only needs --sparkplug-nodes N (1 or more)");
    }
    if (mqttBroker != null && !mqttBroker.matches("(tcp|ssl)://.+")) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--mqtt-broker '" + mqttBroker + "' must be a tcp:// or ssl:// URL");
    }
    if (sparkplugOnly) {
      return new FactorySpec(
          List.of(), mqttPort, List.of(), FactorySpec.DEMO_SEED, nodes, mqttBroker);
    }
    FactorySpec opcuaAndJson = opcuaAndJsonSpec();
    return new FactorySpec(
        opcuaAndJson.opcuaServers(),
        opcuaAndJson.mqttPort(),
        opcuaAndJson.mqttDevices(),
        opcuaAndJson.seed(),
        nodes,
        mqttBroker);
  }

  private List<EdgeNodeSpec> sparkplugSpecs() {
    if (sparkplugNodes == null) {
      if (sparkplugDevices != null || sparkplugKinds != null || sparkplugInterval != null) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--sparkplug-devices/-kinds/-interval need --sparkplug-nodes N");
      }
      return List.of();
    }
    if (sparkplugNodes < 0 || sparkplugNodes > 99_999) {
      throw new IllegalArgumentException("--sparkplug-nodes must be 0 to 99999");
    }
    return SparkplugFleet.specs(
        sparkplugGroup,
        sparkplugPrefix,
        sparkplugNodes,
        sparkplugDevices == null ? 2 : sparkplugDevices,
        sparkplugInterval == null
            ? Duration.ofSeconds(1)
            : positive(sparkplugInterval, "--sparkplug-interval"),
        sparkplugKinds == null
            ? new DeviceKind[] {DeviceKind.PRESS, DeviceKind.CNC, DeviceKind.METER}
            : sparkplugKinds.stream().map(SimulatorMain::kind).toArray(DeviceKind[]::new));
  }

  private static DeviceKind kind(String text) {
    try {
      return DeviceKind.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--sparkplug-kinds: unknown kind '"
              + text
              + "'; use "
              + java.util.Arrays.stream(DeviceKind.values())
                  .map(k -> k.name().toLowerCase(java.util.Locale.ROOT))
                  .toList(),
          e);
    }
  }

  /** The OPC UA servers and JSON devices: the demo's unless an --opcua-* fleet flag is given. */
  private FactorySpec opcuaAndJsonSpec() {
    boolean custom =
        opcuaServers != null
            || opcuaDevices != null
            || opcuaTags != null
            || opcuaInterval != null
            || opcuaKinds != null
            || opcuaSecurity != null
            || opcuaUser != null;
    FactorySpec demo = FactorySpec.demo(opcuaPort, opcuaOnly ? 0 : mqttPort);
    List<SimulatedOpcUaServerConfig> servers = demo.opcuaServers();
    if (custom) {
      Map<String, String> users = Map.of();
      if (opcuaUser != null) {
        String password = System.getenv(opcuaPasswordEnv);
        if (password == null || password.isEmpty()) {
          throw new CommandLine.ParameterException(
              new CommandLine(this),
              "--opcua-user "
                  + opcuaUser
                  + " needs its password in the environment variable "
                  + opcuaPasswordEnv);
        }
        users = Map.of(opcuaUser, password);
      }
      servers =
          new OpcUaFleet(
                  opcuaServers == null ? 1 : opcuaServers,
                  opcuaDevices == null ? 5 : opcuaDevices,
                  opcuaTags == null ? OpcUaFleet.KIND_SIGNALS : opcuaTags,
                  opcuaInterval == null
                      ? Duration.ofSeconds(1)
                      : positive(opcuaInterval, "--opcua-interval"),
                  opcuaKinds == null
                      ? List.of(OpcUaDeviceKind.values())
                      : opcuaKinds.stream().map(OpcUaDeviceKind::parse).toList(),
                  security(),
                  users,
                  opcuaPort)
              .configs();
    }
    return new FactorySpec(
        servers, demo.mqttPort(), opcuaOnly ? List.of() : demo.mqttDevices(), demo.seed());
  }

  private Set<SimulatedOpcUaServerConfig.Security> security() {
    if (opcuaSecurity == null || opcuaSecurity.contains("all")) {
      return Set.of(SimulatedOpcUaServerConfig.Security.values());
    }
    Set<SimulatedOpcUaServerConfig.Security> out = new LinkedHashSet<>();
    opcuaSecurity.forEach(s -> out.add(SimulatedOpcUaServerConfig.Security.parse(s)));
    return out;
  }

  private static void readFaults(SimulatedFactory factory) {
    Thread reader =
        new Thread(
            () -> {
              try (var in =
                  new java.io.BufferedReader(
                      new java.io.InputStreamReader(
                          System.in, java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.isBlank()) {
                    continue;
                  }
                  try {
                    factory.inject(line.trim());
                    System.out.println("fault applied: " + line.trim());
                  } catch (RuntimeException e) {
                    System.out.println("fault refused: " + e.getMessage());
                  }
                  System.out.flush();
                }
              } catch (java.io.IOException e) {
                // Standard input closed: no more faults.
              }
            },
            "simulator-stdin-faults");
    reader.setDaemon(true);
    reader.start();
  }

  private static void printStats(SimulatedFactory factory, Duration every) {
    ScheduledExecutorService t =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread th = new Thread(r, "simulator-stats");
              th.setDaemon(true);
              return th;
            });
    boolean opcua = !factory.opcuaServers().isEmpty() || factory.spec().sparkplugNodes().isEmpty();
    boolean sparkplug = !factory.spec().sparkplugNodes().isEmpty();
    // Per protocol: the total at the last line, and when.
    long[] last = {0, 0, System.nanoTime()};
    t.scheduleAtFixedRate(
        () -> {
          long total = 0;
          for (SimulatedOpcUaServer s : factory.opcuaServers()) {
            total += s.valuesReported();
          }
          long published = sparkplug ? factory.sparkplug().published() : 0;
          long now = System.nanoTime();
          double seconds = Math.max(1, now - last[2]) / 1e9;
          if (opcua) {
            System.out.printf(
                "stats opcua reported=%d rate=%.0f/s%n", total, (total - last[0]) / seconds);
          }
          if (sparkplug) {
            System.out.printf(
                "stats sparkplug published=%d rate=%.0f/s%n",
                published, (published - last[1]) / seconds);
          }
          last[0] = total;
          last[1] = published;
          last[2] = now;
          System.out.flush();
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static Duration positive(String text, String option) {
    Duration d = Fault.duration(text, option);
    if (d.isZero()) {
      throw new IllegalArgumentException(option + ": '" + text + "' must be more than zero");
    }
    return d;
  }
}
