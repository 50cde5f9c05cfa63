package dev.onboard.adapters.mqtt.bench;

import dev.onboard.adapters.mqtt.Mosquitto;
import dev.onboard.gateway.testkit.Trees;
import dev.onboard.simulator.mqtt.DeviceKind;
import dev.onboard.simulator.mqtt.MqttDeviceSpec;
import dev.onboard.simulator.mqtt.SimulatedMqttDevice;
import dev.onboard.simulator.mqtt.SimulatedMqttFleet;
import dev.onboard.simulator.mqtt.sparkplug.EdgeNodeSpec;
import dev.onboard.simulator.mqtt.sparkplug.SimulatedEdgeNode;
import dev.onboard.simulator.mqtt.sparkplug.SparkplugDeviceSpec;
import dev.onboard.simulator.mqtt.sparkplug.SparkplugFleet;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How fast the real gateway takes MQTT data: the simulator publishes at QoS 1 through Debian's
 * Mosquitto into {@code onboard.jar run} (a separate process: adapter, pipeline, liveness, outbox
 * on disk, no uplink), and this harness reads the gateway's CPU time and RSS from {@code /proc} and
 * its received-sample counter from {@code /metrics}.
 *
 * <p>Usage: {@code scripts/bench-mqtt [json|sparkplug] [messages/s] [seconds] [devices]}, with the
 * gateway's JVM options in {@code BENCH_GATEWAY_OPTS} and the MQTT version in {@code
 * BENCH_MQTT_VERSION} ({@code 5} or {@code 3.1.1}). Each message carries 10 values. The first 10 s
 * are warm-up; then the measured window; then the simulator stops and the harness waits until every
 * sent sample arrived (or 30 s), to tell loss. Not a test: speed is never asserted.
 */
public final class MqttBenchmark {

  private static final Pattern SAMPLES =
      Pattern.compile("onboard_samples_received_total\\{[^}]*protocol=\"mqtt\"[^}]*} ([0-9.eE+]+)");
  private static final long TICKS = 100; // USER_HZ on Linux
  private static final int VALUES = 10;

  /**
   * The gateway's JVM options unless BENCH_GATEWAY_OPTS says otherwise: what an operator of a small
   * edge box would set in ONBOARD_JAVA_OPTS. A 192 MiB heap; the serial collector (one core's worth
   * of garbage needs no parallel or concurrent collector threads); biased locking, which JDK 17
   * still has but no longer enables by default, because Paho decodes every received packet byte by
   * byte through a synchronized ByteArrayInputStream (JDK 18+ ignores the option).
   */
  static final String GATEWAY_OPTS = "-Xmx192m -XX:+UseSerialGC -XX:+UseBiasedLocking";

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "json";
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int devices = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    Path jar = Path.of("app/target/onboard.jar");
    String javaOpts = System.getenv().getOrDefault("BENCH_GATEWAY_OPTS", GATEWAY_OPTS);
    String version = System.getenv().getOrDefault("BENCH_MQTT_VERSION", "5");
    Duration interval = Duration.ofNanos(1_000_000_000L * devices / rate);
    Path dir = Files.createTempDirectory("onboard-bench-mqtt-");
    int httpPort = freePort();
    String token = java.util.UUID.randomUUID().toString(); // for this run only

    try (Mosquitto mosquitto = new Mosquitto()) {
      mosquitto.start();
      Path config = dir.resolve("onboard.yaml");
      Files.writeString(config, config(mode, mosquitto.url(), version, devices, httpPort, dir));
      List<String> cmd = new ArrayList<>();
      cmd.add("java");
      cmd.addAll(List.of(javaOpts.trim().split("\\s+")));
      cmd.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("gateway.log").toFile());
      pb.environment().put("BENCH_TOKEN", token);
      Process gateway = pb.start();
      // Whatever happens below, the gateway must not outlive the harness.
      Runtime.getRuntime().addShutdownHook(new Thread(gateway::destroyForcibly));
      try {
        run(
            mode,
            rate,
            seconds,
            devices,
            interval,
            javaOpts,
            version,
            mosquitto,
            gateway,
            httpPort,
            token,
            dir.resolve("gateway.log"));
      } finally {
        gateway.destroy();
        gateway.waitFor();
        // The outbox holds up to 4 GiB; the gateway's log stays for whoever reads the figures.
        Trees.delete(dir.resolve("data"));
        System.out.println("gateway log: " + dir.resolve("gateway.log"));
      }
    }
    // A simulated device's Paho sender thread can outlive its client's close; it must not keep
    // the harness (and the one-command benchmark) waiting forever.
    System.exit(0);
  }

  private static void run(
      String mode,
      int rate,
      int seconds,
      int devices,
      Duration interval,
      String javaOpts,
      String version,
      Mosquitto mosquitto,
      Process gateway,
      int httpPort,
      String token,
      Path gatewayLog)
      throws Exception {
    {
      long pid = gateway.pid();
      Metrics metrics = new Metrics(httpPort, token);
      waitFor(() -> metrics.samples() >= 0 ? 1 : 0, 1, Duration.ofSeconds(60), "gateway /metrics");

      AutoCloseable fleet;
      LongSupplier published;
      LongSupplier skippedTicks = () -> 0;
      LongSupplier sentValues;
      if (mode.equals("sparkplug")) {
        SparkplugFleet f = sparkplugFleet(mosquitto.url(), devices, interval);
        f.nodes().forEach(n -> n.qos(1));
        f.start();
        fleet = f;
        published = () -> f.nodes().stream().mapToLong(SimulatedEdgeNode::published).sum();
        sentValues = () -> f.nodes().stream().mapToLong(SimulatedEdgeNode::deviceMetrics).sum();
      } else {
        List<MqttDeviceSpec> specs =
            SimulatedMqttFleet.specs("E001", "bench", devices, interval, DeviceKind.BENCH);
        SimulatedMqttFleet f = new SimulatedMqttFleet(mosquitto.url(), specs, 1);
        f.start();
        fleet = f;
        published = f::published;
        sentValues = () -> f.published() * VALUES;
        skippedTicks = () -> f.devices().stream().mapToLong(SimulatedMqttDevice::skipped).sum();
      }
      System.out.printf(
          Locale.ROOT,
          "%s over MQTT %s: %d devices, one message every %d µs each (%d msg/s asked), %d values"
              + " each, QoS 1, gateway JVM %s %s%n",
          mode,
          version,
          devices,
          interval.toNanos() / 1000,
          rate,
          VALUES,
          System.getProperty("java.vm.version"),
          javaOpts);

      pause(Duration.ofSeconds(10));
      long[] cpu0 = cpuTicks(pid);
      long samples0 = metrics.samples();
      long sent0 = published.getAsLong();
      long t0 = System.nanoTime();
      long maxRss = 0;
      long maxAnon = 0;
      for (int i = 0; i < seconds; i++) {
        pause(Duration.ofSeconds(1));
        maxRss = Math.max(maxRss, status(pid, "VmRSS:"));
        maxAnon = Math.max(maxAnon, status(pid, "RssAnon:"));
      }
      long[] cpu1 = cpuTicks(pid);
      long samples1 = metrics.samples();
      long sent1 = published.getAsLong();
      double wall = (System.nanoTime() - t0) / 1e9;
      String load = Files.readString(Path.of("/proc/loadavg")).trim();

      fleet.close();
      long skipped = skippedTicks.getAsLong();
      // Sparkplug: every metric of every DBIRTH and DDATA, births' properties included.
      long expected = sentValues.getAsLong();
      if (expected > 0) {
        waitFor(metrics::samples, expected, Duration.ofSeconds(30), "all samples");
      }
      long receivedTotal = metrics.samples();
      long hwm = status(pid, "VmHWM:");
      String broker = brokerCounters(mosquitto.url());

      double msgs = (samples1 - samples0) / (double) VALUES / wall;
      // CPU per message is steadier than CPU% on a shared machine: it does not depend on how
      // many messages the loaded simulator managed to send in the window.
      long windowMessages = (samples1 - samples0) / VALUES;
      double cpuSeconds = (cpu1[0] + cpu1[1] - cpu0[0] - cpu0[1]) / (double) TICKS;
      System.out.printf(
          Locale.ROOT,
          "sent     %.0f msg/s%n"
              + "received %.0f msg/s = %.0f samples/s%n"
              + "gateway  CPU %.1f%% of one core (user %.1f%%, system %.1f%%), RSS max %d MiB (anonymous %d MiB, the rest"
              + " mapped outbox files; sampled each second), peak (VmHWM) %d MiB%n"
              + "gateway  CPU time in the window %.2f s (user %.2f, system %.2f) for %d messages"
              + " = %.1f µs per message%n"
              + "after the run: %d samples received of %d sent%s; the simulator skipped %d ticks"
              + " (its client was saturated or disconnected)%n"
              + "broker ($SYS): %s%n"
              + "outbox: %d points dropped by its quota (oldest first; the gateway has no uplink here)%n"
              + "load average at the end: %s%n",
          (sent1 - sent0) / wall,
          msgs,
          msgs * VALUES,
          100.0 * (cpu1[0] + cpu1[1] - cpu0[0] - cpu0[1]) / TICKS / wall,
          100.0 * (cpu1[0] - cpu0[0]) / TICKS / wall,
          100.0 * (cpu1[1] - cpu0[1]) / TICKS / wall,
          maxRss / 1024,
          maxAnon / 1024,
          hwm / 1024,
          cpuSeconds,
          (cpu1[0] - cpu0[0]) / (double) TICKS,
          (cpu1[1] - cpu0[1]) / (double) TICKS,
          windowMessages,
          1e6 * cpuSeconds / Math.max(1, windowMessages),
          receivedTotal,
          expected,
          mode.equals("sparkplug")
              ? " (received includes each device's last values, sent again as STALE when its"
                  + " edge node died at the end)"
              : "",
          skipped,
          broker,
          quotaDrops(gatewayLog),
          load);
    }
  }

  private static String config(
      String mode, String broker, String version, int devices, int httpPort, Path dir) {
    StringBuilder y = new StringBuilder();
    y.append("gateway: {id: bench, dataDir: ").append(dir.resolve("data")).append("}\n");
    // No uplink drains the outbox here: room for a 20,000 msg/s run, so the quota drops nothing.
    y.append("outbox: {quota: 4GiB}\n");
    y.append("sources:\n  - id: bench-mqtt\n    protocol: mqtt\n    broker: ").append(broker);
    y.append("\n    version: \"").append(version).append("\"\n    qos: 1\n");
    if (!mode.equals("sparkplug")) {
      y.append(
          "    json: {topic: \"factory/{enterprise}/{device}/telemetry\", timestamp: {field: ts,"
              + " unit: ms}, values: values, serial: serial}\n");
    }
    y.append("inventory:\n  enterprises:\n    - {id: E001, name: Bench, district: huangpu}\n");
    y.append("  devices:\n");
    for (int i = 1; i <= devices; i++) {
      String name = String.format(Locale.ROOT, "bench-%02d", i);
      y.append("    - {id: ").append(name).append(", enterprise: E001, source: bench-mqtt, ");
      if (mode.equals("sparkplug")) {
        y.append("address: {group: bench, edgeNode: node-")
            .append((i - 1) / 10 + 1)
            .append(", device: ")
            .append(name)
            .append("}}\n");
      } else {
        y.append("address: {device: ").append(name).append("}}\n");
      }
    }
    y.append("http: {bind: 127.0.0.1:").append(httpPort);
    y.append(", tokens: {operator: {env: BENCH_TOKEN}}}\n");
    return y.toString();
  }

  /**
   * Mosquitto's own publish counters: received from clients, sent to clients, and dropped because a
   * client's queue (max_queued_messages) was full, which tells where missing samples were lost.
   */
  private static String brokerCounters(String url) {
    // Mosquitto refreshes $SYS every 10 s: wait for one refresh after the last message.
    pause(Duration.ofSeconds(11));
    java.util.Map<String, String> values = new java.util.concurrent.ConcurrentHashMap<>();
    try (org.eclipse.paho.client.mqttv3.MqttClient c =
        new org.eclipse.paho.client.mqttv3.MqttClient(
            url,
            "bench-sys-" + System.nanoTime(),
            new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence())) {
      c.connect();
      // $SYS values are retained: the latest of each arrives right after subscribing.
      c.subscribe(
          "$SYS/broker/publish/messages/+",
          (topic, m) -> values.put(topic.substring(topic.lastIndexOf('/') + 1), m.toString()));
      // Mosquitto publishes a counter only once it is non-zero: "dropped" is absent when none was.
      waitFor(
          () -> values.containsKey("received") && values.containsKey("sent") ? 1 : 0,
          1,
          Duration.ofSeconds(15),
          "broker counters");
      pause(Duration.ofSeconds(1));
      c.disconnect();
    } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
      return "unavailable: " + e;
    }
    return "received "
        + values.getOrDefault("received", "?")
        + ", sent "
        + values.getOrDefault("sent", "?")
        + ", dropped "
        + values.getOrDefault("dropped", "0 (no $SYS value yet)");
  }

  /** What the outbox dropped when full, as the gateway logged it. */
  private static long quotaDrops(Path gatewayLog) throws IOException {
    long dropped = 0;
    for (String line : Files.readAllLines(gatewayLog)) {
      Matcher m = QUOTA_DROP.matcher(line);
      if (m.find()) {
        dropped += Long.parseLong(m.group(1));
      }
    }
    return dropped;
  }

  private static final Pattern QUOTA_DROP =
      Pattern.compile("quota of \\d+ bytes reached, dropped (\\d+) undelivered");

  /** Ten devices per edge node, named like the JSON devices. */
  private static SparkplugFleet sparkplugFleet(String url, int devices, Duration interval) {
    List<EdgeNodeSpec> nodes = new ArrayList<>();
    for (int n = 0; n * 10 < devices; n++) {
      List<SparkplugDeviceSpec> ds = new ArrayList<>();
      for (int i = n * 10 + 1; i <= Math.min(devices, n * 10 + 10); i++) {
        String name = String.format(Locale.ROOT, "bench-%02d", i);
        ds.add(new SparkplugDeviceSpec(name, "SN-" + name, DeviceKind.BENCH));
      }
      nodes.add(new EdgeNodeSpec("bench", "node-" + (n + 1), "SN-node-" + (n + 1), interval, ds));
    }
    return new SparkplugFleet(url, nodes, 1);
  }

  /** {utime, stime} of the process, in clock ticks. */
  private static long[] cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  private static long status(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }

  private static void waitFor(LongSupplier value, long atLeast, Duration max, String what) {
    long deadline = System.nanoTime() + max.toNanos();
    while (value.getAsLong() < atLeast) {
      if (System.nanoTime() > deadline) {
        System.out.println("gave up waiting for " + what + " after " + max.toSeconds() + " s");
        return;
      }
      pause(Duration.ofMillis(200));
    }
  }

  private static void pause(Duration d) {
    java.util.concurrent.locks.LockSupport.parkNanos(d.toNanos());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Reads the gateway's received-sample counter from {@code /metrics}; -1 while it is not up. */
  private static final class Metrics {
    private final HttpClient http = HttpClient.newHttpClient();
    private final HttpRequest request;

    Metrics(int port, String token) {
      this.request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
              .header("Authorization", "Bearer " + token)
              .timeout(Duration.ofSeconds(5))
              .build();
    }

    long samples() {
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          return -1;
        }
        Matcher m = SAMPLES.matcher(r.body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
      } catch (IOException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
  }
}
