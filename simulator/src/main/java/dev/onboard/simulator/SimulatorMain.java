package dev.onboard.simulator;

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
          + " an embedded broker; --opcua-servers/--opcua-devices/... describe another OPC UA fleet.",
      "Faults: --fault '10s opcua plant-1/CNC-0001 freeze' (repeatable) or --scenario FILE with one"
          + " such line each. OPC UA faults: on a server stop | start | restart [DOWNTIME] | state"
          + " TEST|RUNNING|... | service-level N; on SERVER/DEVICE or SERVER/* drop | restore |"
          + " freeze | thaw | status Bad_SensorFailure|Good|... | skew [-]DURATION | serial TEXT |"
          + " same-serial-as DEVICE."
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
      description = "every this often, print 'stats opcua reported=N rate=R/s' (e.g. 1s)")
  String stats;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimulatorMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    FactorySpec spec = spec();
    List<Fault> scenarioFaults = scenario();
    SimulatedFactory factory = new SimulatedFactory(spec);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  factory.close();
                  done.countDown();
                },
                "simulator-shutdown"));
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
          factory.broker().url(),
          spec.mqttDevices().stream().map(d -> d.enterprise() + "/" + d.name()).toList());
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
    done.await();
    return 0;
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

  /** The factory the flags describe: the demo's unless an --opcua-* fleet flag is given. */
  FactorySpec spec() {
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
    long[] last = {0, System.nanoTime()};
    t.scheduleAtFixedRate(
        () -> {
          long total = 0;
          for (SimulatedOpcUaServer s : factory.opcuaServers()) {
            total += s.valuesReported();
          }
          long now = System.nanoTime();
          double rate = (total - last[0]) * 1e9 / Math.max(1, now - last[1]);
          last[0] = total;
          last[1] = now;
          System.out.printf("stats opcua reported=%d rate=%.0f/s%n", total, rate);
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
