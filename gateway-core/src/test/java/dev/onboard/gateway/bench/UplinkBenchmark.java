package dev.onboard.gateway.bench;

import dev.onboard.gateway.outbox.Outbox;
import dev.onboard.gateway.outbox.OutboxConfig;
import dev.onboard.gateway.outbox.PointClass;
import dev.onboard.gateway.testkit.InfluxServer;
import dev.onboard.gateway.testkit.Trees;
import dev.onboard.gateway.uplink.InfluxHttp;
import dev.onboard.gateway.uplink.Uplink;
import dev.onboard.gateway.uplink.UplinkConfig;
import dev.onboard.gateway.uplink.WriteResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A harness, not a test: how fast points go from the pipeline through the outbox into a real
 * InfluxDB 1.6.7 on this machine, against writing the same batches straight to InfluxDB, and how
 * fast a backlog drains after an outage while new points keep coming. Run with {@code
 * scripts/bench-uplink [points] [outage-seconds] [rate]}; figures go in BENCHMARKS.md. Every line
 * gives the CPU time the JVM and influxd spent per million points, a steadier guide than wall time
 * on a shared machine, and the load average.
 *
 * <p>{@code outbox-rss [quota-bytes]} as the arguments instead fills an outbox of that quota (1 GiB
 * by default) until it drops its oldest telemetry, reads it all back, and prints the append rate
 * and the process's VmRSS, RssAnon and RssFile after each step.
 *
 * <p>The uplink's settings are its defaults; {@code -Dbench.batchPoints=N}, {@code
 * -Dbench.writers=N} try others (the straight writes use the same batch size and writer count).
 */
public final class UplinkBenchmark {

  private static final long T0 = 1_767_225_600_000L;

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("outbox-rss")) {
      outboxRss(args.length > 1 ? Long.parseLong(args[1]) : OutboxConfig.DEFAULT_QUOTA);
      return;
    }
    int points = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int outageSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    Path dir = Files.createTempDirectory("onboard-bench-");
    try (InfluxServer influx = InfluxServer.start(dir.resolve("influx"))) {
      UplinkConfig settings = config(influx, "x", true);
      System.out.printf(
          "uplink: batches of %,d points, %d writers; %d cores; load average %s%n",
          settings.batchPoints(),
          settings.writers(),
          Runtime.getRuntime().availableProcessors(),
          loadAverage());
      for (boolean gzip : new boolean[] {false, true}) {
        String db = gzip ? "gz" : "plain";
        influx.createDatabase("direct_" + db);
        influx.createDatabase("outbox_" + db);
        direct(influx, "direct_" + db, points, gzip, 1);
        influx.createDatabase("directn_" + db);
        direct(influx, "directn_" + db, points, gzip, settings.writers());
        throughOutbox(influx, dir.resolve("outbox-" + db), "outbox_" + db, points, gzip);
      }
      influx.createDatabase("replay");
      replay(influx, dir, outageSeconds, rate);
    } finally {
      Trees.delete(dir);
    }
  }

  /**
   * Point {@code i} of a fleet of 1,000 devices × 10 tags, one value per tag per millisecond tick.
   */
  private static String point(long i) {
    long device = i % 1000;
    long tag = (i / 1000) % 10;
    return "telemetry,device=dev-"
        + device
        + ",enterprise=E"
        + (device % 50)
        + ",gateway=bench,protocol=opcua,tag=t"
        + tag
        + " value="
        + (i % 977) * 0.5
        + ",quality=\"GOOD\" "
        + (T0 + i / 10_000);
  }

  private static UplinkConfig config(InfluxServer influx, String database, boolean gzip) {
    UplinkConfig d = UplinkConfig.of(influx.url(), database);
    return new UplinkConfig(
        d.url(),
        database,
        "",
        d.username(),
        d.password(),
        d.token(),
        Integer.getInteger("bench.batchPoints", d.batchPoints()),
        Math.max(d.batchBytes(), Integer.getInteger("bench.batchPoints", d.batchPoints()) * 256),
        // A busy shared machine can take longer than the default 10 s over one big batch.
        Duration.ofSeconds(60),
        d.minBackoff(),
        d.maxBackoff(),
        gzip,
        Integer.getInteger("bench.writers", d.writers()),
        d.linger());
  }

  /**
   * The same points in the uplink's batch size, written straight to InfluxDB by {@code writers}
   * threads, each sending every {@code writers}-th batch, built as it goes: what a client without
   * an outbox would do.
   */
  private static void direct(
      InfluxServer influx, String database, int points, boolean gzip, int writers)
      throws Exception {
    UplinkConfig config = config(influx, database, gzip);
    InfluxHttp http = new InfluxHttp(config);
    int batch = config.batchPoints();
    Cpu before = Cpu.now(influx);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int first = w;
      Thread t =
          new Thread(
              () -> {
                for (long b = first; b * batch < points; b += writers) {
                  StringBuilder body = new StringBuilder(batch * 180);
                  for (long i = b * batch; i < Math.min(points, (b + 1) * batch); i++) {
                    body.append(point(i)).append('\n');
                  }
                  try {
                    writeOrRetry(http, body.toString());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              },
              "bench-writer-" + w);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    report(
        "straight to InfluxDB, "
            + writers
            + " writer"
            + (writers == 1 ? "" : "s")
            + ", gzip "
            + gzip,
        points,
        before,
        influx);
  }

  /**
   * Writes one batch, again after a pause when the store is away (a busy machine can make it time
   * out), as the uplink would; fails on anything else or after 5 tries.
   */
  private static void writeOrRetry(InfluxHttp http, String body) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      WriteResult r = http.write(body);
      if (r.outcome() == WriteResult.Outcome.STORED) {
        return;
      }
      if (r.outcome() != WriteResult.Outcome.AWAY || attempt == 5) {
        throw new IllegalStateException("direct write failed: " + r);
      }
      System.out.println("  (a straight write was not answered, tried again: " + r.detail() + ")");
      Thread.sleep(1_000);
    }
  }

  /** Appends {@code points} with no uplink running, then measures the uplink draining them. */
  private static void throughOutbox(
      InfluxServer influx, Path dir, String database, int points, boolean gzip) throws Exception {
    try (Outbox outbox = Outbox.open(OutboxConfig.defaults(dir), Clock.systemUTC())) {
      Cpu start = Cpu.now(null);
      List<String> batch = new ArrayList<>(100);
      for (long i = 0; i < points; i += 100) {
        batch.clear();
        for (int k = 0; k < 100; k++) {
          batch.add(point(i + k));
        }
        outbox.appendAll(PointClass.TELEMETRY, batch);
      }
      report("appended to the outbox, one producer, batches of 100", points, start, null);
      if (outbox.stats().droppedTelemetry() > 0) {
        throw new IllegalStateException(
            "the benchmark overflowed the outbox quota; use fewer points");
      }
      try (Uplink uplink = new Uplink(outbox, config(influx, database, gzip), Clock.systemUTC())) {
        Cpu drainStart = Cpu.now(influx);
        uplink.start();
        // Delivered is counted just after the commit that empties the outbox: wait for both.
        while (outbox.stats().telemetryDepth() > 0 || uplink.status().deliveredPoints() < points) {
          Thread.sleep(20);
        }
        report(
            "outbox -> InfluxDB, uplink draining the backlog, gzip " + gzip,
            uplink.status().deliveredPoints(),
            drainStart,
            influx);
      }
    }
  }

  private static void replay(InfluxServer influx, Path dir, int outageSeconds, int rate)
      throws Exception {
    // A quota that holds the whole outage: the replay rate is measured on a backlog kept in full.
    OutboxConfig roomy =
        new OutboxConfig(
            dir.resolve("replay-outbox"),
            8L << 30,
            OutboxConfig.DEFAULT_SEGMENT,
            OutboxConfig.DEFAULT_FSYNC);
    try (Outbox outbox = Outbox.open(roomy, Clock.systemUTC())) {
      Uplink uplink = new Uplink(outbox, config(influx, "replay", true), Clock.systemUTC());
      influx.stop();
      uplink.start();
      AtomicBoolean producing = new AtomicBoolean(true);
      AtomicLong appended = new AtomicLong();
      Thread producer = producer(outbox, producing, appended, rate);
      Thread.sleep(outageSeconds * 1000L);
      long backlog = outbox.stats().telemetryDepth();
      long deliveredBefore = uplink.status().deliveredPoints();
      influx.start();
      long back = System.nanoTime();
      // The uplink finds the store back at its next retry, up to maxBackoff (30 s) later; the
      // replay rate is measured from there, and the wait is reported beside it.
      while (uplink.status().deliveredPoints() == deliveredBefore) {
        Thread.sleep(20);
      }
      long start = System.nanoTime();
      long deliveredAtResume = uplink.status().deliveredPoints();
      while (outbox.stats().telemetryDepth() > rate / 2) {
        Thread.sleep(20);
      }
      long nanos = System.nanoTime() - start;
      long delivered = uplink.status().deliveredPoints() - deliveredAtResume;
      producing.set(false);
      producer.join();
      uplink.close();
      if (outbox.stats().droppedTelemetry() > 0) {
        throw new IllegalStateException(
            "the outage overflowed the outbox quota: " + outbox.stats().droppedTelemetry());
      }
      System.out.printf(
          "replay after a %d s outage at %,d points/s: backlog %,d points; delivery resumed %.1f s after the store was back (backoff), then drained in %.1f s while new points kept coming: %,.0f points/s delivered = %.1f x the incoming rate; load %s%n",
          outageSeconds,
          rate,
          backlog,
          (start - back) / 1e9,
          nanos / 1e9,
          delivered / (nanos / 1e9),
          delivered / (nanos / 1e9) / rate,
          loadAverage());
    }
  }

  private static Thread producer(
      Outbox outbox, AtomicBoolean producing, AtomicLong appended, long perSecond) {
    Thread t =
        new Thread(
            () -> {
              long start = System.nanoTime();
              List<String> batch = new ArrayList<>(100);
              while (producing.get()) {
                long due =
                    perSecond == Long.MAX_VALUE
                        ? Long.MAX_VALUE
                        : (System.nanoTime() - start) * perSecond / 1_000_000_000L;
                if (appended.get() >= due) {
                  // Park, not spin: a spinning producer takes a core from the uplink on 2 cores.
                  java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                  continue;
                }
                batch.clear();
                for (int k = 0; k < 100; k++) {
                  batch.add(point(appended.get() + k));
                }
                outbox.appendAll(PointClass.TELEMETRY, batch);
                appended.addAndGet(100);
              }
            },
            "bench-producer");
    t.start();
    return t;
  }

  private static void report(String what, long points, Cpu before, InfluxServer influx)
      throws IOException {
    Cpu after = Cpu.now(influx);
    double seconds = (after.wallNanos - before.wallNanos) / 1e9;
    double perMillion = 1e6 / points;
    String influxCpu =
        influx == null
            ? "-"
            : String.format(
                "%.2f s", (after.influxTicks - before.influxTicks) / 100.0 * perMillion);
    System.out.printf(
        "%-62s %,11d points in %5.1f s = %,9.0f points/s | CPU per 1M points: JVM %.2f s, influxd %s | load %s%n",
        what,
        points,
        seconds,
        points / seconds,
        (after.jvmNanos - before.jvmNanos) / 1e9 * perMillion,
        influxCpu,
        loadAverage());
  }

  /** CPU time of this JVM and of influxd (clock ticks of 1/100 s, from /proc), and wall time. */
  private record Cpu(long jvmNanos, long influxTicks, long wallNanos) {
    static Cpu now(InfluxServer influx) throws IOException {
      long ticks = 0;
      if (influx != null) {
        String[] stat =
            Files.readString(Path.of("/proc/" + influx.pid() + "/stat"))
                .replaceFirst("^.*\\) ", "")
                .split(" ");
        // After "(comm) ", utime and stime are the 12th and 13th fields.
        ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
      }
      long jvm =
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
              .getProcessCpuTime();
      return new Cpu(jvm, ticks, System.nanoTime());
    }
  }

  private static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  /**
   * Fills an outbox of {@code quota} bytes until it drops its oldest telemetry, then reads every
   * point back, printing the resident memory after each step: with segments in the page cache and
   * not mapped, RssFile stays small however full the outbox is.
   */
  private static void outboxRss(long quota) throws Exception {
    Path dir = Files.createTempDirectory("onboard-rss-");
    OutboxConfig config =
        new OutboxConfig(
            dir,
            quota,
            (int) Math.min(OutboxConfig.DEFAULT_SEGMENT, quota / 16),
            OutboxConfig.DEFAULT_FSYNC);
    try (Outbox outbox = Outbox.open(config, Clock.systemUTC())) {
      System.out.printf(
          "outbox of %,d bytes, max heap %d MiB; load %s%n",
          quota, Runtime.getRuntime().maxMemory() >> 20, loadAverage());
      rss("opened");
      Cpu start = Cpu.now(null);
      List<String> batch = new ArrayList<>(100);
      long points = 0;
      while (outbox.stats().droppedTelemetry() == 0) {
        batch.clear();
        for (int k = 0; k < 100; k++) {
          batch.add(point(points + k));
        }
        outbox.appendAll(PointClass.TELEMETRY, batch);
        points += 100;
      }
      report("appended until the quota was full, batches of 100", points, start, null);
      rss("full (" + outbox.stats().diskBytes() / (1 << 20) + " MiB on disk)");
      Cpu read = Cpu.now(null);
      long delivered = 0;
      for (Outbox.Batch b = outbox.peek(10_000, 4 << 20);
          !b.records().isEmpty();
          b = outbox.peek(10_000, 4 << 20)) {
        delivered += b.records().size();
        outbox.commit(b);
      }
      report("read back and committed, 10,000 at a time", delivered, read, null);
      rss("read back");
    } finally {
      Trees.delete(dir);
    }
  }

  private static void rss(String when) throws IOException {
    String status;
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      status =
          lines
              .filter(l -> l.matches("(VmRSS|RssAnon|RssFile|RssShmem):.*"))
              .map(l -> l.replaceAll("\\s+", " "))
              .collect(Collectors.joining(", "));
    }
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        "  RSS %-34s %s; heap %d MiB used of %d MiB committed%n",
        when + ":", status, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20);
  }
}
