package dev.onboard.gateway.bench;

import dev.onboard.gateway.outbox.Outbox;
import dev.onboard.gateway.outbox.OutboxConfig;
import dev.onboard.gateway.outbox.PointClass;
import dev.onboard.gateway.testkit.InfluxServer;
import dev.onboard.gateway.uplink.InfluxHttp;
import dev.onboard.gateway.uplink.Uplink;
import dev.onboard.gateway.uplink.UplinkConfig;
import dev.onboard.gateway.uplink.WriteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A harness, not a test: how fast points go from the pipeline through the outbox into a real
 * InfluxDB 1.6.7 on this machine, against writing the same batches straight to InfluxDB, and how
 * fast a backlog drains after an outage while new points keep coming. Run with {@code
 * scripts/bench-uplink [points] [outage-seconds] [rate]}; figures go in BENCHMARKS.md.
 */
public final class UplinkBenchmark {

  private static final long T0 = 1_767_225_600_000L;

  public static void main(String[] args) throws Exception {
    int points = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int outageSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    Path dir = Files.createTempDirectory("onboard-bench-");
    try (InfluxServer influx = InfluxServer.start(dir.resolve("influx"))) {
      for (boolean gzip : new boolean[] {false, true}) {
        String db = gzip ? "gz" : "plain";
        influx.createDatabase("direct_" + db);
        influx.createDatabase("outbox_" + db);
        direct(influx, "direct_" + db, points, gzip);
        influx.createDatabase("direct2_" + db);
        directTwoWriters(influx, "direct2_" + db, points, gzip);
        throughOutbox(influx, dir.resolve("outbox-" + db), "outbox_" + db, points, gzip);
      }
      influx.createDatabase("replay");
      replay(influx, dir, outageSeconds, rate);
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
        + ",quality=\"GOOD\",skew_ms=3i "
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
        d.batchPoints(),
        d.batchBytes(),
        d.requestTimeout(),
        d.minBackoff(),
        d.maxBackoff(),
        gzip,
        d.writers());
  }

  /** The same points, in the same batches of 5,000, written straight to InfluxDB by one writer. */
  private static void direct(InfluxServer influx, String database, int points, boolean gzip)
      throws Exception {
    InfluxHttp http = new InfluxHttp(config(influx, database, gzip));
    long start = System.nanoTime();
    for (long i = 0; i < points; ) {
      StringBuilder body = new StringBuilder(5_000 * 180);
      for (int k = 0; k < 5_000 && i < points; k++) {
        body.append(point(i++)).append('\n');
      }
      WriteResult r = http.write(body.toString());
      if (r.outcome() != WriteResult.Outcome.STORED) {
        throw new IllegalStateException("direct write failed: " + r);
      }
    }
    report("straight to InfluxDB, one writer, gzip " + gzip, points, System.nanoTime() - start);
  }

  /**
   * The ceiling of this machine's InfluxDB: two writers, each sending every other batch of 5,000,
   * as a client that builds line protocol as it goes would.
   */
  private static void directTwoWriters(
      InfluxServer influx, String database, int points, boolean gzip) throws Exception {
    InfluxHttp http = new InfluxHttp(config(influx, database, gzip));
    long start = System.nanoTime();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int first = w;
      Thread t =
          new Thread(
              () -> {
                for (long b = first; b * 5_000 < points; b += 2) {
                  StringBuilder body = new StringBuilder(5_000 * 180);
                  for (long i = b * 5_000; i < Math.min(points, (b + 1) * 5_000); i++) {
                    body.append(point(i)).append('\n');
                  }
                  try {
                    WriteResult r = http.write(body.toString());
                    if (r.outcome() != WriteResult.Outcome.STORED) {
                      throw new IllegalStateException("direct write failed: " + r);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              },
              "bench-writer-" + w);
      t.start();
      writers.add(t);
    }
    for (Thread t : writers) {
      t.join();
    }
    report("straight to InfluxDB, two writers, gzip " + gzip, points, System.nanoTime() - start);
  }

  /** Appends {@code points} with no uplink running, then measures the uplink draining them. */
  private static void throughOutbox(
      InfluxServer influx, Path dir, String database, int points, boolean gzip) throws Exception {
    try (Outbox outbox = Outbox.open(OutboxConfig.defaults(dir), Clock.systemUTC())) {
      long start = System.nanoTime();
      List<String> batch = new ArrayList<>(100);
      for (long i = 0; i < points; i += 100) {
        batch.clear();
        for (int k = 0; k < 100; k++) {
          batch.add(point(i + k));
        }
        outbox.appendAll(PointClass.TELEMETRY, batch);
      }
      report(
          "appended to the outbox, one producer, batches of 100",
          points,
          System.nanoTime() - start);
      if (outbox.stats().droppedTelemetry() > 0) {
        throw new IllegalStateException(
            "the benchmark overflowed the outbox quota; use fewer points");
      }
      try (Uplink uplink = new Uplink(outbox, config(influx, database, gzip), Clock.systemUTC())) {
        long drainStart = System.nanoTime();
        uplink.start();
        while (outbox.stats().telemetryDepth() > 0) {
          Thread.sleep(20);
        }
        report(
            "outbox -> InfluxDB, uplink draining the backlog, gzip " + gzip,
            uplink.status().deliveredPoints(),
            System.nanoTime() - drainStart);
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
      Uplink uplink =
          new Uplink(outbox, UplinkConfig.of(influx.url(), "replay"), Clock.systemUTC());
      influx.stop();
      uplink.start();
      AtomicBoolean producing = new AtomicBoolean(true);
      AtomicLong appended = new AtomicLong();
      Thread producer = producer(outbox, producing, appended, rate);
      Thread.sleep(outageSeconds * 1000L);
      long backlog = outbox.stats().telemetryDepth();
      long deliveredBefore = uplink.status().deliveredPoints();
      influx.start();
      long start = System.nanoTime();
      while (outbox.stats().telemetryDepth() > rate / 2) {
        Thread.sleep(20);
      }
      long nanos = System.nanoTime() - start;
      long delivered = uplink.status().deliveredPoints() - deliveredBefore;
      producing.set(false);
      producer.join();
      uplink.close();
      if (outbox.stats().droppedTelemetry() > 0) {
        throw new IllegalStateException(
            "the outage overflowed the outbox quota: " + outbox.stats().droppedTelemetry());
      }
      System.out.printf(
          "replay after a %d s outage at %,d points/s: backlog %,d points drained in %.1f s while new points kept coming: %,.0f points/s delivered = %.1f x the incoming rate%n",
          outageSeconds,
          rate,
          backlog,
          nanos / 1e9,
          delivered / (nanos / 1e9),
          delivered / (nanos / 1e9) / rate);
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

  private static void report(String what, long points, long nanos) {
    System.out.printf(
        "%-70s %,12d points in %5.1f s = %,10.0f points/s%n",
        what, points, nanos / 1e9, points / (nanos / 1e9));
  }
}
