package dev.onboard.adapters.opcua.bench;

import dev.onboard.gateway.config.ConfigLoader;
import dev.onboard.gateway.liveness.DeviceView;
import dev.onboard.gateway.supervisor.Gateway;
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
 * <p>Run with {@code scripts/bench-opcua [devices] [tags] [interval-ms...]}; figures go in
 * BENCHMARKS.md.
 */
public final class OpcUaBenchmark {

  private static final int WARMUP_SECONDS = 10;
  private static final java.util.regex.Pattern REPORTED =
      java.util.regex.Pattern.compile("stats opcua reported=(\\d+)");

  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int tags = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    List<Integer> intervals = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      intervals.add(Integer.parseInt(args[i]));
    }
    if (intervals.isEmpty()) {
      intervals = List.of(100, 50, 33, 25);
    }
    System.out.printf(
        "OPC UA benchmark: %d devices x %d tags, %d s measured per run, cores %d, load average %s%n",
        devices, tags, seconds, Runtime.getRuntime().availableProcessors(), loadAverage());
    System.out.println(
        "| interval | offered samples/s | into the pipeline, samples/s | gateway CPU (1 core = 100%) |"
            + " gateway RSS max (anon + file) | simulator CPU | lost while measured | lost overall |"
            + " load avg |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (int interval : intervals) {
      run(devices, tags, interval, seconds);
    }
  }

  private static void run(int devices, int tags, int intervalMs, int seconds) throws Exception {
    Path dir = Files.createTempDirectory("onboard-bench-opcua-");
    Process sim = startSimulator(devices, tags, intervalMs);
    AtomicReference<String> endpoint = new AtomicReference<>();
    AtomicLong reported = new AtomicLong(-1);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(() -> readSimulator(sim, endpoint, reported, ready), "bench-simulator-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(120, TimeUnit.SECONDS);
      Path config = writeConfig(dir, endpoint.get(), devices, intervalMs);
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

        long overflow0 = overflows(gateway);
        long cpu0 = processCpuNanos();
        long simCpu0 = cpuTicks(sim.pid());
        long samples0 = samples(gateway);
        long t0 = System.nanoTime();
        long[] rssMax = {0, 0, 0};
        for (int s = 0; s < seconds; s++) {
          TimeUnit.SECONDS.sleep(1);
          long[] rss = rssKiB();
          if (rss[0] > rssMax[0]) {
            rssMax = rss;
          }
        }
        long t1 = System.nanoTime();
        long samples1 = samples(gateway);
        long cpu1 = processCpuNanos();
        long simCpu1 = cpuTicks(sim.pid());
        long overflow1 = overflows(gateway);
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
        System.out.printf(
            "| %d ms | %,d | %,.0f | %.0f%% | %d MiB (%d + %d) | %.0f%% | %,d | %,d | %s |%n",
            intervalMs,
            (long) devices * tags * 1000 / intervalMs,
            (samples1 - samples0) / wall,
            100.0 * (cpu1 - cpu0) / (t1 - t0),
            rssMax[0] / 1024,
            rssMax[1] / 1024,
            rssMax[2] / 1024,
            100.0 * (simCpu1 - simCpu0) / ticksPerSecond() / wall,
            overflow1 - overflow0,
            lost,
            loadAverage());
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
      deleteQuietly(dir);
    }
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
    return new ProcessBuilder(command).redirectErrorStream(true).start();
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

  private static Path writeConfig(Path dir, String endpoint, int devices, int intervalMs)
      throws IOException {
    int publishMs = Math.max(50, intervalMs);
    StringBuilder y = new StringBuilder();
    y.append("gateway:\n  id: bench\n  dataDir: data\n");
    y.append("liveness:\n  staleAfter: 5s\n  offlineAfter: 15s\n");
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
   * VmRSS, RssAnon and RssFile of this process, in KiB (file: e.g. the outbox's mapped segments).
   */
  private static long[] rssKiB() throws IOException {
    long[] out = new long[3];
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      String[] key = {"VmRSS:", "RssAnon:", "RssFile:"};
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

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp directory left behind is harmless.
    }
  }
}
