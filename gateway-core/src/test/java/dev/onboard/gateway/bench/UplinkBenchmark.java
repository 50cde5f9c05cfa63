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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A harness, not a test: how fast points go from the pipeline through the outbox into a real
 * InfluxDB 1.6.7 on this machine, against writing the same batches straight to InfluxDB, and how
 * fast a backlog drains after an outage while new points keep coming. Run with {@code
 * scripts/bench-uplink [seconds] [outage-seconds] [rate]}; figures go in BENCHMARKS.md.
 */
public final class UplinkBenchmark {

  private static final long T0 = 1_767_225_600_000L;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int outageSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    Path dir = Files.createTempDirectory("onboard-bench-");
    try (InfluxServer influx = InfluxServer.start(dir.resolve("influx"))) {
      influx.createDatabase("direct");
      influx.createDatabase("outbox");
      influx.createDatabase("replay");
      direct(influx, seconds);
      throughOutbox(influx, dir, seconds);
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

  private static void direct(InfluxServer influx, int seconds) throws Exception {
    InfluxHttp http = new InfluxHttp(UplinkConfig.of(influx.url(), "direct"));
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    long points = 0;
    while (System.nanoTime() < end) {
      StringBuilder body = new StringBuilder(5_000 * 180);
      for (int k = 0; k < 5_000; k++) {
        body.append(point(points++)).append('\n');
      }
      WriteResult r = http.write(body.toString());
      if (r.outcome() != WriteResult.Outcome.STORED) {
        throw new IllegalStateException("direct write failed: " + r);
      }
    }
    report(
        "direct to InfluxDB (batches of 5,000, built as they go, gzip)",
        points,
        System.nanoTime() - start);
  }

  private static void throughOutbox(InfluxServer influx, Path dir, int seconds) throws Exception {
    try (Outbox outbox =
            Outbox.open(OutboxConfig.defaults(dir.resolve("outbox")), Clock.systemUTC());
        Uplink uplink =
            new Uplink(outbox, UplinkConfig.of(influx.url(), "outbox"), Clock.systemUTC())) {
      uplink.start();
      AtomicBoolean producing = new AtomicBoolean(true);
      AtomicLong appended = new AtomicLong();
      Thread producer = producer(outbox, producing, appended, Long.MAX_VALUE);
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      producing.set(false);
      producer.join();
      long produceNanos = System.nanoTime() - start;
      while (outbox.stats().telemetryDepth() > 0) {
        Thread.sleep(50);
      }
      long total = System.nanoTime() - start;
      report(
          "appended to the outbox (producer alone, while the uplink drains)",
          appended.get(),
          produceNanos);
      report(
          "through the outbox into InfluxDB, end to end (until drained)",
          uplink.status().deliveredPoints(),
          total);
    }
  }

  private static void replay(InfluxServer influx, Path dir, int outageSeconds, int rate)
      throws Exception {
    try (Outbox outbox =
        Outbox.open(OutboxConfig.defaults(dir.resolve("replay-outbox")), Clock.systemUTC())) {
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
                  Thread.onSpinWait();
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
