package dev.onboard.adapters.opcua.bench;

import dev.onboard.gateway.config.ConfigLoader;
import dev.onboard.gateway.liveness.DeviceView;
import dev.onboard.gateway.outbox.OutboxStats;
import dev.onboard.gateway.supervisor.Gateway;
import dev.onboard.gateway.testkit.InfluxServer;
import dev.onboard.gateway.testkit.Trees;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A harness, not a test: sustained samples/s from simulated OPC UA equipment into the gateway's
 * pipeline, with the gateway's CPU and memory. This JVM is the gateway — the real {@link Gateway}
 * built from a generated configuration (liveness, metrics, evidence ledger, the outbox on disk, no
 * uplink) — and the simulator runs beside it as a child JVM, so each process's CPU and RSS are its
 * own.
 *
 * <p>One run: start the simulator ({@code devices × tags} changing every {@code interval}), start
 * the gateway with one OPC UA source and every device, wait until all deliver, warm up, then
 * measure for {@code seconds}: samples counted into the pipeline (the liveness tracker's Good
 * samples), gateway CPU (process CPU time ÷ wall time, 100% = one core) and RSS (max of {@code
 * VmRSS}). Then every device is frozen and, once nothing more arrives, the samples the gateway
 * received are compared with the values the simulator reported to the subscription: the difference
 * is loss.
 *
 * <p>With {@code --influx} first, the gateway's uplink also writes to a real InfluxDB 1.x ({@code
 * influxd}, started by gateway-core's test support on a loopback port, fresh data per run), and the
 * run measures what really arrived there: InfluxQL counts of the {@code telemetry} measurement at
 * the window's start and end (samples/s that reached InfluxDB while measured), the telemetry
 * waiting in the outbox at the window's end, and — after freezing every device and letting the
 * uplink drain the outbox — how many values the server reported, how many the gateway took and how
 * many distinct points InfluxDB holds, overall and for source times inside the window, and how much
 * telemetry the outbox dropped over its quota while the uplink fell behind. InfluxDB keeps one
 * point per series and millisecond, so a value written twice can only show as InfluxDB holding more
 * than the server reported ("extra"), and two values of one tag within one millisecond show as one
 * point fewer. The gateway's Good, live samples are compared with InfluxDB's Good, non-historical
 * points, like with like. influxd's CPU and RSS are read from /proc like the simulator's.
 *
 * <p>Run with {@code scripts/bench-opcua [--influx] [devices] [tags] [seconds] [interval-ms...]};
 * figures go in BENCHMARKS.md.
 */
public final class OpcUaBenchmark {

  private static final int WARMUP_SECONDS = 10;
  private static final java.util.regex.Pattern REPORTED =
      java.util.regex.Pattern.compile("stats opcua reported=(\\d+)");

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean influx = !rest.isEmpty() && rest.get(0).equals("--influx");
    if (influx) {
      rest.remove(0);
    }
    int devices = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 1000;
    int tags = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 10;
    int seconds = rest.size() > 2 ? Integer.parseInt(rest.get(2)) : 30;
    List<Integer> intervals = new ArrayList<>();
    for (int i = 3; i < rest.size(); i++) {
      intervals.add(Integer.parseInt(rest.get(i)));
    }
    if (intervals.isEmpty()) {
      intervals = influx ? List.of(100) : List.of(100, 50, 33, 25);
    }
    System.out.printf(
        "OPC UA benchmark%s: %d devices x %d tags, %d s measured per run, cores %d, load average"
            + " %s, gateway pid %d, MALLOC_ARENA_MAX=%s, gateway JVM %s%n",
        influx ? " end to end into InfluxDB" : "",
        devices,
        tags,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        loadAverage(),
        ProcessHandle.current().pid(),
        System.getenv().getOrDefault("MALLOC_ARENA_MAX", "unset"),
        ManagementFactory.getRuntimeMXBean().getInputArguments());
    if (influx) {
      System.out.println(
          "| interval | offered samples/s | into the pipeline, samples/s | arrived in InfluxDB while"
              + " measured, samples/s | stamped in the window and in InfluxDB after the drain,"
              + " samples/s | telemetry in the outbox at the window's end | gateway CPU (1 core ="
              + " 100%) | gateway RSS max: VmRSS / RssAnon / RssFile | gateway VmHWM (peak) | influxd CPU | influxd RSS max"
              + " | simulator CPU | overall: server reported / in InfluxDB | lost | extra | Good live"
              + " samples: gateway took / in InfluxDB | dropped by the outbox (quota) / outbox write"
              + " failures | load avg |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    } else {
      System.out.println(
          "| interval | offered samples/s | into the pipeline, samples/s | gateway CPU (1 core ="
              + " 100%) | gateway RSS max (anon + file) | gateway VmHWM (peak) | simulator CPU | lost while measured |"
              + " lost overall | load avg |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    }
    for (int interval : intervals) {
      run(devices, tags, interval, seconds, influx);
    }
  }

  private static void run(int devices, int tags, int intervalMs, int seconds, boolean withInflux)
      throws Exception {
    Path dir = Files.createTempDirectory("onboard-bench-opcua-");
    Process sim = startSimulator(devices, tags, intervalMs);
    AtomicReference<String> endpoint = new AtomicReference<>();
    AtomicLong reported = new AtomicLong(-1);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(() -> readSimulator(sim, endpoint, reported, ready), "bench-simulator-output");
    reader.setDaemon(true);
    reader.start();
    InfluxServer influx = null;
    try {
      ready.get(120, TimeUnit.SECONDS);
      if (withInflux) {
        influx = InfluxServer.start(dir.resolve("influx"));
        influx.createDatabase(DATABASE);
      }
      Path config = writeConfig(dir, endpoint.get(), devices, intervalMs, influx);
      try (Gateway gateway = Gateway.build(new ConfigLoader().load(config), Clock.systemUTC())) {
        gateway.start().get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (delivering(gateway) < devices) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("not every device delivered within 180 s");
          }
          TimeUnit.MILLISECONDS.sleep(200);
        }
        TimeUnit.SECONDS.sleep(WARMUP_SECONDS);

        long influxPid = influx == null ? -1 : influxPid();
        // InfluxDB answers a count as of when the query starts: the rate divides by the time
        // between the two queries' starts, not by the window, which they only bracket.
        long query0 = System.nanoTime();
        long inInflux0 = influx == null ? 0 : telemetryCount(influx, "");
        long overflow0 = overflows(gateway);
        long cpu0 = processCpuNanos();
        long simCpu0 = cpuTicks(sim.pid());
        long influxCpu0 = influxPid < 0 ? 0 : cpuTicks(influxPid);
        long samples0 = samples(gateway);
        long t0 = System.nanoTime();
        long windowStartMs = System.currentTimeMillis();
        long[] rssMax = {0, 0, 0, 0};
        long[] rssAtVmMax = {0, 0, 0, 0};
        long influxRssMax = 0;
        for (int s = 0; s < seconds; s++) {
          TimeUnit.SECONDS.sleep(1);
          long[] rss = rssKiB(Path.of("/proc/self/status"));
          for (int i = 0; i < rss.length; i++) {
            rssMax[i] = Math.max(rssMax[i], rss[i]);
          }
          if (rss[0] >= rssAtVmMax[0]) {
            rssAtVmMax = rss;
          }
          if (influxPid >= 0) {
            influxRssMax =
                Math.max(influxRssMax, rssKiB(Path.of("/proc/" + influxPid + "/status"))[0]);
          }
        }
        long t1 = System.nanoTime();
        long windowEndMs = System.currentTimeMillis();
        long samples1 = samples(gateway);
        long cpu1 = processCpuNanos();
        long simCpu1 = cpuTicks(sim.pid());
        long influxCpu1 = influxPid < 0 ? 0 : cpuTicks(influxPid);
        long overflow1 = overflows(gateway);
        long backlog = gateway.central().outboxStats().map(OutboxStats::telemetryDepth).orElse(0L);
        long query1 = System.nanoTime();
        long inInflux1 = influx == null ? 0 : telemetryCount(influx, "");
        double wall = (t1 - t0) / 1e9;

        // Freeze every device, wait until nothing more arrives, compare with what was reported.
        OutputStream in = sim.getOutputStream();
        in.write("opcua plant-1/* freeze\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        long last = -1;
        long now = samples(gateway);
        while (now != last) {
          TimeUnit.SECONDS.sleep(3);
          last = now;
          now = samples(gateway);
        }
        long reportedSettled = waitForStats(reported);
        long lost = reportedSettled - now;
        long offered = (long) devices * tags * 1000 / intervalMs;
        if (influx == null) {
          System.out.printf(
              "| %d ms | %,d | %,.0f | %.0f%% | %d MiB (%d + %d) | %d MiB | %.0f%% | %,d | %,d | %s |%n",
              intervalMs,
              offered,
              (samples1 - samples0) / wall,
              100.0 * (cpu1 - cpu0) / (t1 - t0),
              rssAtVmMax[0] / 1024,
              rssAtVmMax[1] / 1024,
              rssAtVmMax[2] / 1024,
              rssMax[3] / 1024,
              100.0 * (simCpu1 - simCpu0) / ticksPerSecond() / wall,
              overflow1 - overflow0,
              lost,
              loadAverage());
        } else {
          // On a loaded machine samples can still trickle in after a quiet 3 s: count the gateway's
          // samples again once the outbox is empty and nothing more came for 5 s.
          now = drain(gateway);
          long arrived = telemetryCount(influx, "");
          // The gateway's count is of Good, live samples (what liveness takes); compare like with
          // like: InfluxDB also holds readings of other quality and historical ones.
          long goodInInflux = telemetryCount(influx, " WHERE quality = 'GOOD'");
          long goodHistorical =
              telemetryCount(influx, " WHERE quality = 'GOOD' AND historical = true");
          long stampedInWindow =
              telemetryCount(
                  influx,
                  " WHERE time >= " + windowStartMs + "ms AND time < " + windowEndMs + "ms");
          System.out.printf(
              "| %d ms | %,d | %,.0f | **%,.0f** | %,.0f | %,d | %.0f%% | %d / %d / %d MiB | %d MiB |"
                  + " %.0f%%"
                  + " | %d MiB | %.0f%% | %,d / %,d | %,d | %,d | %,d / %,d | %,d / %,d | %s |%n",
              intervalMs,
              offered,
              (samples1 - samples0) / wall,
              (inInflux1 - inInflux0) / ((query1 - query0) / 1e9),
              stampedInWindow / ((windowEndMs - windowStartMs) / 1000.0),
              backlog,
              100.0 * (cpu1 - cpu0) / (t1 - t0),
              rssMax[0] / 1024,
              rssMax[1] / 1024,
              rssMax[2] / 1024,
              rssMax[3] / 1024,
              100.0 * (influxCpu1 - influxCpu0) / ticksPerSecond() / wall,
              influxRssMax / 1024,
              100.0 * (simCpu1 - simCpu0) / ticksPerSecond() / wall,
              reportedSettled,
              arrived,
              Math.max(0, reportedSettled - arrived),
              Math.max(0, arrived - reportedSettled),
              now,
              goodInInflux - goodHistorical,
              gateway.central().outboxStats().map(OutboxStats::droppedTelemetry).orElse(0L),
              gateway.central().writeFailures(),
              loadAverage());
          System.err.println("uplink: " + gateway.central().uplinkStatus());
        }
        gateway
            .sources()
            .forEach(st -> System.err.println("source " + st.state() + ": " + st.detail()));
        gateway.stop().get(60, TimeUnit.SECONDS);
      }
    } finally {
      sim.destroy();
      if (!sim.waitFor(20, TimeUnit.SECONDS)) {
        sim.destroyForcibly();
      }
      if (influx != null) {
        influx.close();
      }
      try {
        Trees.delete(dir);
      } catch (IOException e) {
        System.err.println("could not delete " + dir + ": " + e);
      }
    }
  }

  private static final String DATABASE = "onboard";

  /**
   * Waits (up to 10 minutes) until the uplink has delivered every telemetry point in the outbox and
   * no new sample came for 5 s.
   *
   * @return the gateway's Good samples then
   */
  private static long drain(Gateway gateway) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    long before = -1;
    long after = samples(gateway);
    while (after != before
        || gateway.central().outboxStats().map(OutboxStats::telemetryDepth).orElse(0L) > 0) {
      if (System.nanoTime() > deadline) {
        System.err.println("the outbox did not drain within 10 minutes");
        break;
      }
      TimeUnit.SECONDS.sleep(5);
      before = after;
      after = samples(gateway);
    }
    return after;
  }

  /** Distinct points in InfluxDB's {@code telemetry} measurement, by InfluxQL. */
  private static long telemetryCount(InfluxServer influx, String where)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    long n = influx.count(DATABASE, "SELECT count(quality) FROM telemetry" + where);
    System.err.printf(
        "InfluxQL count%s: %,d in %d ms%n",
        where, n, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    return n;
  }

  /** The influxd that {@link InfluxServer} started: this JVM's child process. */
  private static long influxPid() {
    return ProcessHandle.current()
        .children()
        .filter(p -> p.info().command().orElse("").endsWith("influxd"))
        .mapToLong(ProcessHandle::pid)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("influxd is not a child of this JVM"));
  }

  private static final java.util.regex.Pattern OVERFLOWS =
      java.util.regex.Pattern.compile("(\\d+) value\\(s\\) lost to full server queues");

  /** Values the server discarded from full item queues, as the source status reports them. */
  private static long overflows(Gateway gateway) {
    long sum = 0;
    for (var s : gateway.sources()) {
      java.util.regex.Matcher m = OVERFLOWS.matcher(s.detail());
      if (m.find()) {
        sum += Long.parseLong(m.group(1));
      }
    }
    return sum;
  }

  /** Devices that delivered at least one Good sample. */
  private static long delivering(Gateway gateway) {
    return gateway.liveness().devices().stream().filter(d -> d.goodSamples() > 0).count();
  }

  /** Good samples the pipeline handed to liveness, summed over devices. */
  private static long samples(Gateway gateway) {
    long sum = 0;
    for (DeviceView d : gateway.liveness().devices()) {
      sum += d.goodSamples();
    }
    return sum;
  }

  private static Process startSimulator(int devices, int tags, int intervalMs) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-Xmx1g",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.onboard.simulator.SimulatorMain",
            "--opcua-only",
            "--opcua-port",
            "0",
            "--opcua-servers",
            "1",
            "--opcua-devices",
            String.valueOf(devices),
            "--opcua-tags",
            String.valueOf(tags),
            "--opcua-interval",
            intervalMs + "ms",
            "--opcua-security",
            "none",
            "--stats",
            "1s",
            "--faults-from-stdin");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    // The malloc setting is the gateway's (scripts/bench-opcua exports it); the simulator stays as
    // it was measured before.
    pb.environment().remove("MALLOC_ARENA_MAX");
    return pb.start();
  }

  private static void readSimulator(
      Process sim,
      AtomicReference<String> endpoint,
      AtomicLong reported,
      CompletableFuture<Void> ready) {
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("OPC UA plant-1: ")) {
          endpoint.set(line.substring("OPC UA plant-1: ".length()).split("\\s+")[0]);
        } else if (line.startsWith("Running;")) {
          ready.complete(null);
        } else if (line.contains("stats opcua reported=")) {
          java.util.regex.Matcher m = REPORTED.matcher(line);
          if (m.find()) {
            reported.set(Long.parseLong(m.group(1)));
          }
        } else if (line.contains("ERROR") || line.contains("Exception")) {
          System.err.println("simulator: " + line);
        }
      }
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
    ready.completeExceptionally(new IllegalStateException("the simulator exited"));
  }

  /** The simulator's reported count once two stats lines agree (every device frozen). */
  private static long waitForStats(AtomicLong reported) throws InterruptedException {
    long previous = -2;
    long current = reported.get();
    while (current != previous) {
      TimeUnit.MILLISECONDS.sleep(2_500);
      previous = current;
      current = reported.get();
    }
    return current;
  }

  private static Path writeConfig(
      Path dir, String endpoint, int devices, int intervalMs, InfluxServer influx)
      throws IOException {
    int publishMs = Math.max(50, intervalMs);
    StringBuilder y = new StringBuilder();
    y.append("gateway:\n  id: bench\n  dataDir: data\n");
    y.append("liveness:\n  staleAfter: 5s\n  offlineAfter: 15s\n");
    if (influx != null) {
      y.append("uplink:\n  url: ").append(influx.url()).append("\n  database: ").append(DATABASE);
      y.append('\n');
    }
    y.append("sources:\n  - id: plant-opcua\n    protocol: opcua\n");
    y.append("    endpoint: ").append(endpoint).append('\n');
    y.append("    security: {policy: none}\n");
    y.append("    subscription: {samplingInterval: ")
        .append(intervalMs)
        .append("ms, publishingInterval: ")
        .append(publishMs)
        .append("ms, queueSize: ")
        .append(Math.max(20, 5_000 / intervalMs))
        .append("}\n");
    y.append("    browse: {startNode: \"nsu=urn:onboard:simulator;s=Devices\"}\n");
    y.append("inventory:\n  enterprises:\n    - {id: E001, name: Bench, district: huangpu}\n");
    y.append("  devices:\n");
    String[] kinds = {"CNC", "IMM", "AC", "EM"};
    for (int d = 1; d <= devices; d++) {
      String name = String.format("%s-%04d", kinds[(d - 1) % kinds.length], d);
      y.append("    - {id: ")
          .append(name.toLowerCase(java.util.Locale.ROOT))
          .append(", enterprise: E001, source: plant-opcua, address: {browseName: ")
          .append(name)
          .append("}}\n");
    }
    Path file = dir.resolve("onboard.yaml");
    Files.writeString(file, y.toString());
    return file;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** utime + stime of a process in clock ticks, from /proc. */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long ticksPerSecond() {
    return 100; // USER_HZ on Linux
  }

  /**
   * VmRSS, RssAnon, RssFile and VmHWM (the peak VmRSS since the process started) of a process
   * ({@code /proc/<pid>/status}), in KiB (file-backed: mostly the JDK's own libraries and jars).
   */
  private static long[] rssKiB(Path status) throws IOException {
    long[] out = new long[4];
    for (String line : Files.readAllLines(status)) {
      String[] key = {"VmRSS:", "RssAnon:", "RssFile:", "VmHWM:"};
      for (int i = 0; i < key.length; i++) {
        if (line.startsWith(key[i])) {
          out[i] = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    }
    return out;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1];
    } catch (IOException e) {
      return "?";
    }
  }
}
