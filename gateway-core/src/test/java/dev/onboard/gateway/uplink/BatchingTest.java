package dev.onboard.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.gateway.outbox.PointClass;
import dev.onboard.gateway.outbox.Record;
import dev.onboard.gateway.testkit.MovableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingTest {

  private static final long LINGER = 1_000;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final List<Record> queue = new ArrayList<>();

  /** Appends {@code n} points of 10 bytes each at the clock's time. */
  private void append(int n) {
    for (int i = 0; i < n; i++) {
      byte[] payload = "p=1i 0000".getBytes(StandardCharsets.UTF_8);
      queue.add(new Record(queue.size(), clock.millis(), PointClass.TELEMETRY, payload));
    }
  }

  private int due(boolean moreBehind) {
    return Batching.due(queue, moreBehind, 100, 1 << 20, LINGER, clock.millis());
  }

  @Test
  void a_partial_batch_waits_until_its_oldest_point_has_lingered_then_goes_whole() {
    append(30);
    clock.advance(Duration.ofMillis(600));
    append(20);
    assertThat(due(false)).as("50 points, the oldest 600 ms old").isZero();
    assertThat(Batching.untilDue(queue, 100, 1 << 20, LINGER, clock.millis())).isEqualTo(400);
    clock.advance(Duration.ofMillis(399));
    assertThat(due(false)).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(due(false)).as("the oldest has waited the linger").isEqualTo(50);
  }

  @Test
  void a_full_batch_goes_at_once_and_the_partial_one_behind_it_waits() {
    append(130);
    assertThat(due(false)).isEqualTo(100);
    append(70);
    assertThat(due(false)).as("two full batches").isEqualTo(200);
  }

  @Test
  void a_batch_full_by_bytes_goes_at_once() {
    append(30);
    // 10 bytes per point with its newline: the fourth point would pass 35 bytes.
    assertThat(Batching.due(queue, false, 100, 35, LINGER, clock.millis())).isEqualTo(27);
    assertThat(Batching.split(queue, 100, 35)).hasSize(10).allMatch(b -> b.size() == 3);
  }

  @Test
  void points_with_more_behind_them_all_go_since_waiting_cannot_fill_their_batch() {
    append(10);
    assertThat(due(true)).isEqualTo(10);
  }

  @Test
  void nothing_read_means_nothing_due() {
    assertThat(due(false)).isZero();
  }
}
