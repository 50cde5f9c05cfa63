package dev.onboard.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onboard.gateway.outbox.Outbox;
import dev.onboard.gateway.outbox.OutboxConfig;
import dev.onboard.gateway.outbox.PointClass;
import dev.onboard.gateway.testkit.InfluxServer;
import dev.onboard.gateway.testkit.MovableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UplinkIT {

  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  @TempDir Path dir;
  private InfluxServer influx;
  private Outbox outbox;
  private Uplink uplink;

  @BeforeEach
  void startStoreAndOutbox() throws Exception {
    influx = InfluxServer.start(dir.resolve("influx"));
    influx.createDatabase("onboard");
    outbox = Outbox.open(OutboxConfig.defaults(dir.resolve("outbox")), Clock.systemUTC());
    uplink = new Uplink(outbox, fast(2_000, 2, Duration.ofMillis(200)), Clock.systemUTC());
    uplink.start();
  }

  /** Batches of {@code batchPoints}, a short timeout and backoff, gzip. */
  private UplinkConfig fast(int batchPoints, int writers, Duration linger) {
    UplinkConfig base = UplinkConfig.of(influx.url(), "onboard");
    return new UplinkConfig(
        base.url(),
        base.database(),
        "",
        base.username(),
        base.password(),
        base.token(),
        batchPoints,
        1 << 20,
        Duration.ofSeconds(5),
        Duration.ofMillis(100),
        Duration.ofSeconds(2),
        true,
        writers,
        linger);
  }

  @AfterEach
  void stopAll() throws Exception {
    uplink.close();
    outbox.close();
    influx.close();
  }

  private static String telemetry(String device, long i) {
    return "telemetry,device=" + device + ",gateway=gw-it,tag=t value=" + i + " " + (T0 + i);
  }

  private long count(String measurement) throws Exception {
    return influx.count("onboard", "SELECT count(*) FROM " + measurement);
  }

  @Test
  void every_point_appended_arrives_once() throws Exception {
    for (int i = 0; i < 20_000; i++) {
      outbox.append(PointClass.TELEMETRY, telemetry("d" + (i % 10), i));
    }
    outbox.append(
        PointClass.STATUS, "device_status,device=d1,gateway=gw-it state=\"ONLINE\" " + T0);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> outbox.stats().telemetryDepth() == 0 && outbox.stats().evidenceDepth() == 0);
    assertThat(influx.count("onboard", "SELECT count(value) FROM telemetry")).isEqualTo(20_000);
    assertThat(influx.count("onboard", "SELECT count(value) FROM telemetry WHERE device = 'd3'"))
        .isEqualTo(2_000);
    assertThat(influx.count("onboard", "SELECT count(state) FROM device_status")).isEqualTo(1);
    assertThat(uplink.status().state()).isEqualTo(UplinkStatus.State.DELIVERING);
    assertThat(uplink.status().deliveredPoints()).isEqualTo(20_001);
  }

  @Test
  void a_60_second_outage_under_steady_load_loses_nothing_and_duplicates_nothing()
      throws Exception {
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicInteger produced = new AtomicInteger();
    Thread producer =
        new Thread(
            () -> {
              // 2,000 points/s, paced by the outbox clock's progress, not by sleeping for a race.
              long start = System.nanoTime();
              while (producing.get()) {
                long due = (System.nanoTime() - start) / 500_000;
                while (produced.get() < due) {
                  int i = produced.getAndIncrement();
                  outbox.append(PointClass.TELEMETRY, telemetry("d" + (i % 20), i));
                }
                Thread.onSpinWait();
              }
            },
            "outage-producer");
    producer.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> uplink.status().deliveredPoints() > 5_000);

    influx.stop();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> uplink.status().state() == UplinkStatus.State.STORE_AWAY);
    int atOutageStart = produced.get();
    await().pollDelay(Duration.ofSeconds(60)).atMost(Duration.ofSeconds(61)).until(() -> true);
    assertThat(outbox.stats().telemetryDepth())
        .as("kept while the store was away")
        .isGreaterThanOrEqualTo(produced.get() - atOutageStart - 2_000L);
    influx.start();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> uplink.status().state() == UplinkStatus.State.DELIVERING);
    producing.set(false);
    producer.join();
    int total = produced.get();
    await().atMost(Duration.ofSeconds(120)).until(() -> outbox.stats().telemetryDepth() == 0);

    assertThat(influx.count("onboard", "SELECT count(value) FROM telemetry")).isEqualTo(total);
    // Per series, every timestamp once: the set of values equals what was produced for it.
    JsonNode perSeries =
        influx.query("onboard", "SELECT count(value), sum(value) FROM telemetry GROUP BY device");
    for (JsonNode series : perSeries.at("/results/0/series")) {
      int d = Integer.parseInt(series.at("/tags/device").asText().substring(1));
      long n = 0;
      long sum = 0;
      for (int i = d; i < total; i += 20) {
        n++;
        sum += i;
      }
      assertThat(series.at("/values/0/1").asLong()).as("count of d%d", d).isEqualTo(n);
      assertThat(series.at("/values/0/2").asLong()).as("sum of d%d", d).isEqualTo(sum);
    }
  }

  @Test
  void a_partial_batch_of_telemetry_waits_for_the_linger_while_full_batches_and_status_go_at_once()
      throws Exception {
    uplink.close();
    outbox.close();
    // Both the outbox and the uplink read this clock; it moves only when the test moves it.
    MovableClock clock = new MovableClock(Instant.ofEpochMilli(T0));
    outbox = Outbox.open(OutboxConfig.defaults(dir.resolve("linger")), clock);
    uplink = new Uplink(outbox, fast(100, 1, Duration.ofMinutes(1)), clock);
    uplink.start();
    for (int i = 0; i < 130; i++) {
      outbox.append(PointClass.TELEMETRY, telemetry("d1", i));
    }
    outbox.append(
        PointClass.STATUS, "device_status,device=d1,gateway=gw-it state=\"ONLINE\" " + T0);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> count("telemetry") == 100 && outbox.stats().telemetryDepth() == 30);
    assertThat(count("device_status")).as("status does not linger").isEqualTo(1);
    // The clock stands still, so the 30 left can only go wrongly early: give them every chance.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> count("telemetry") == 100 && outbox.stats().telemetryDepth() == 30);

    clock.advance(Duration.ofMinutes(1));
    // The uplink wakes on an append; the 30 have waited the linger, so they go with it.
    outbox.append(PointClass.TELEMETRY, telemetry("d1", 130));
    await().atMost(Duration.ofSeconds(30)).until(() -> count("telemetry") == 131);
    assertThat(outbox.stats().telemetryDepth()).isZero();
  }

  @Test
  void a_malformed_point_is_reported_and_does_not_block_the_points_behind_it() throws Exception {
    outbox.append(PointClass.TELEMETRY, telemetry("d1", 1));
    outbox.append(PointClass.TELEMETRY, "telemetry,device=d1 value=notanumber " + T0);
    outbox.append(PointClass.TELEMETRY, telemetry("d1", 2));
    await().atMost(Duration.ofSeconds(30)).until(() -> outbox.stats().telemetryDepth() == 0);
    for (int i = 3; i < 100; i++) {
      outbox.append(PointClass.TELEMETRY, telemetry("d1", i));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> outbox.stats().telemetryDepth() == 0);
    assertThat(count("telemetry")).isPositive();
    assertThat(influx.count("onboard", "SELECT count(value) FROM telemetry WHERE value >= 3"))
        .isEqualTo(97);
    assertThat(uplink.status().refusedPoints()).isPositive();
    assertThat(uplink.status().lastError()).contains("bad data").contains("unable to parse");
  }

  @Test
  void with_the_store_down_a_full_quota_drops_telemetry_counted_and_never_status_or_presence()
      throws Exception {
    uplink.close();
    outbox.close();
    // A quota of four 64 KiB segments: about 2,000 points of telemetry.
    outbox =
        Outbox.open(
            new OutboxConfig(dir.resolve("tiny"), 4L << 16, 1 << 16, Duration.ofSeconds(1)),
            Clock.systemUTC());
    uplink = new Uplink(outbox, UplinkConfig.of(influx.url(), "onboard"), Clock.systemUTC());
    influx.stop();
    uplink.start();
    for (int i = 0; i < 20_000; i++) {
      outbox.append(PointClass.TELEMETRY, telemetry("d1", i));
      if (i % 100 == 0) {
        outbox.append(
            PointClass.PRESENCE,
            "device_presence,device=d1,gateway=gw-it online_ms=" + i + "i " + (T0 + i));
        outbox.append(
            PointClass.STATUS,
            "device_status,device=d1,gateway=gw-it state=\"ONLINE\",n=" + i + "i " + (T0 + i));
      }
    }
    long dropped = outbox.stats().droppedTelemetry();
    assertThat(dropped).as("telemetry dropped under the quota, and counted").isGreaterThan(15_000);
    assertThat(outbox.stats().evidenceDepth()).isEqualTo(400);

    influx.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> outbox.stats().telemetryDepth() + outbox.stats().evidenceDepth() == 0);
    assertThat(count("device_presence")).isEqualTo(200);
    assertThat(count("device_status")).isEqualTo(200);
    assertThat(influx.count("onboard", "SELECT count(value) FROM telemetry") + dropped)
        .isEqualTo(20_000);
  }

  @Test
  void a_missing_database_is_a_refusal_that_keeps_every_point_until_fixed() throws Exception {
    uplink.close();
    uplink =
        new Uplink(outbox, UplinkConfig.of(influx.url(), "not_created_yet"), Clock.systemUTC());
    uplink.start();
    outbox.append(PointClass.STATUS, "device_status,device=d1 state=\"ONLINE\" " + T0);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> uplink.status().state() == UplinkStatus.State.STORE_REFUSED);
    assertThat(uplink.status().detail()).contains("404").contains("database not found");
    assertThat(outbox.stats().evidenceDepth()).isEqualTo(1);
    influx.createDatabase("not_created_yet");
    await().atMost(Duration.ofSeconds(60)).until(() -> outbox.stats().evidenceDepth() == 0);
    assertThat(influx.count("not_created_yet", "SELECT count(state) FROM device_status"))
        .isEqualTo(1);
  }
}
