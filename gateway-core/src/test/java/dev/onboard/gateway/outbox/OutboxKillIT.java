package dev.onboard.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onboard.gateway.testkit.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxKillIT {

  @TempDir Path dir;

  @Test
  void after_kill_9_under_load_every_acknowledged_point_is_there_once_and_in_order()
      throws Exception {
    Process writer = ChildJvm.start(OutboxWriterMain.class, dir.toString());
    AtomicLong lastAcked = new AtomicLong(-1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lastAcked.set(Long.parseLong(line.trim()));
                }
              } catch (Exception e) {
                // The pipe breaks when the writer is killed; what was read is what counts.
              }
            },
            "kill-it-reader");
    reader.start();

    await().atMost(Duration.ofSeconds(60)).until(() -> lastAcked.get() >= 200_000);
    writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
    assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    reader.join(10_000);
    long acked = lastAcked.get();

    try (Outbox o =
        Outbox.open(
            new OutboxConfig(dir, 1L << 30, 1 << 20, Duration.ofSeconds(1)), Clock.systemUTC())) {
      List<Long> status = new ArrayList<>();
      List<Long> telemetry = new ArrayList<>();
      for (Outbox.Batch b = o.peek(10_000, 1 << 22);
          !b.records().isEmpty();
          b = o.peek(10_000, 1 << 22)) {
        for (String line : b.lines()) {
          long n = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
          (b.evidence() ? status : telemetry).add(n);
        }
        o.commit(b);
      }
      assertThat(o.stats().tornRecords()).isLessThanOrEqualTo(2);
      // Each queue holds a gap-free prefix of what was written, covering every acknowledged point.
      assertThat(status).isSorted().doesNotHaveDuplicates();
      assertThat(telemetry).isSorted().doesNotHaveDuplicates();
      long lastStatus = status.get(status.size() - 1);
      long lastTelemetry = telemetry.get(telemetry.size() - 1);
      assertThat(status.size()).isEqualTo(lastStatus / 10 + 1);
      assertThat(telemetry.size()).isEqualTo(lastTelemetry + 1 - (lastTelemetry / 10 + 1));
      assertThat(Math.max(lastStatus, lastTelemetry)).isGreaterThanOrEqualTo(acked);
      assertThat(lastStatus).isGreaterThan(acked - 10);
      assertThat(lastTelemetry).isGreaterThanOrEqualTo(acked - 1);
    }
  }
}
