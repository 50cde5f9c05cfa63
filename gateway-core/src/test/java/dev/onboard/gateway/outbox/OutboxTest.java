package dev.onboard.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.gateway.testkit.MovableClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

  private static final int SEGMENT = 4096;

  @TempDir Path dir;
  private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T00:00:00Z"));

  private Outbox open(long quota) throws IOException {
    return Outbox.open(new OutboxConfig(dir, quota, SEGMENT, Duration.ofSeconds(1)), clock);
  }

  private static String point(int i) {
    return "telemetry,device=d1,tag=t value=" + i + " " + (1_700_000_000_000L + i);
  }

  /** Reads and commits everything of one class, the way the uplink does. */
  private static List<String> drain(Outbox o, boolean evidence) {
    List<String> out = new ArrayList<>();
    while (true) {
      Outbox.Batch b = o.peek(100, 64 * 1024);
      if (b.records().isEmpty() || b.evidence() != evidence) {
        return out;
      }
      out.addAll(b.lines());
      o.commit(b);
    }
  }

  @Test
  void points_come_out_in_the_order_they_went_in_across_many_segments() throws IOException {
    List<String> in = IntStream.range(0, 2_000).mapToObj(OutboxTest::point).toList();
    try (Outbox o = open(1 << 20)) {
      in.forEach(p -> assertThat(o.append(PointClass.TELEMETRY, p)).isTrue());
      assertThat(o.stats().telemetryDepth()).isEqualTo(2_000);
      assertThat(drain(o, false)).isEqualTo(in);
      assertThat(o.stats().telemetryDepth()).isZero();
      assertThat(o.stats().diskBytes())
          .as("delivered segments are deleted")
          .isEqualTo(2L * SEGMENT);
    }
  }

  @Test
  void lines_encoded_one_after_another_in_one_array_come_out_as_separate_points()
      throws IOException {
    List<String> in = IntStream.range(0, 500).mapToObj(OutboxTest::point).toList();
    byte[] bytes = String.join("", in).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int[] ends = new int[in.size() + 10]; // a reused array may be longer than the batch
    for (int i = 0, end = 0; i < in.size(); i++) {
      end += in.get(i).length();
      ends[i] = end;
    }
    try (Outbox o = open(1 << 20)) {
      assertThat(o.appendAll(PointClass.TELEMETRY, bytes, ends, in.size())).isEqualTo(in.size());
      assertThat(drain(o, false)).isEqualTo(in);
    }
  }

  @Test
  void evidence_is_delivered_before_telemetry() throws IOException {
    try (Outbox o = open(1 << 20)) {
      o.append(PointClass.TELEMETRY, "t1");
      o.append(PointClass.STATUS, "s1");
      o.append(PointClass.PRESENCE, "p1");
      Outbox.Batch first = o.peek(10, 1 << 16);
      assertThat(first.evidence()).isTrue();
      assertThat(first.lines()).containsExactly("s1", "p1");
      o.commit(first);
      assertThat(o.peek(10, 1 << 16).lines()).containsExactly("t1");
    }
  }

  @Test
  void undelivered_points_survive_a_restart_and_delivered_ones_are_not_sent_again()
      throws IOException {
    try (Outbox o = open(1 << 20)) {
      IntStream.range(0, 300).forEach(i -> o.append(PointClass.TELEMETRY, point(i)));
      Outbox.Batch b = o.peek(120, 1 << 20);
      o.commit(b);
    }
    try (Outbox o = open(1 << 20)) {
      List<String> rest = drain(o, false);
      assertThat(rest).isEqualTo(IntStream.range(120, 300).mapToObj(OutboxTest::point).toList());
    }
  }

  @Test
  void a_peeked_but_uncommitted_batch_is_delivered_again_after_a_restart() throws IOException {
    try (Outbox o = open(1 << 20)) {
      o.append(PointClass.STATUS, "s1");
      assertThat(o.peek(10, 1 << 16).lines()).containsExactly("s1");
    }
    try (Outbox o = open(1 << 20)) {
      assertThat(o.peek(10, 1 << 16).lines()).containsExactly("s1");
    }
  }

  @Test
  void a_torn_record_at_the_tail_is_detected_dropped_and_never_misread() throws IOException {
    try (Outbox o = open(1 << 20)) {
      IntStream.range(0, 3).forEach(i -> o.append(PointClass.TELEMETRY, point(i)));
    }
    Path segment = onlySegment(dir.resolve("telemetry"));
    int tail = endOfRecords(segment);
    // A crash mid-write: the length made it to disk, the CRC and most of the body did not.
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ByteBuffer torn = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN);
      torn.putInt(80).putInt(0xdeadbeef).putInt(3).flip();
      ch.write(torn, tail);
    }
    try (Outbox o = open(1 << 20)) {
      assertThat(o.stats().tornRecords()).isEqualTo(1);
      o.append(PointClass.TELEMETRY, point(3));
      assertThat(drain(o, false))
          .isEqualTo(IntStream.range(0, 4).mapToObj(OutboxTest::point).toList());
    }
  }

  @Test
  void a_zero_filled_segment_of_the_memory_mapped_outbox_opens_with_its_records_and_no_torn_one()
      throws IOException {
    try (Outbox o = open(1 << 20)) {
      IntStream.range(0, 3).forEach(i -> o.append(PointClass.TELEMETRY, point(i)));
    }
    Path segment = onlySegment(dir.resolve("telemetry"));
    // The outbox before 2026-12-02 allocated every segment in full, filled with zeros.
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(SEGMENT - (int) ch.size()), ch.size());
    }
    try (Outbox o = open(1 << 20)) {
      assertThat(o.stats().tornRecords()).isZero();
      o.append(PointClass.TELEMETRY, point(3));
      assertThat(drain(o, false))
          .isEqualTo(IntStream.range(0, 4).mapToObj(OutboxTest::point).toList());
    }
  }

  @Test
  void fragments_after_a_torn_record_are_cut_off_and_never_read_as_records() throws IOException {
    try (Outbox o = open(1 << 20)) {
      IntStream.range(0, 5).forEach(i -> o.append(PointClass.TELEMETRY, point(i)));
    }
    Path segment = onlySegment(dir.resolve("telemetry"));
    byte[] bytes = Files.readAllBytes(segment);
    int third = recordStart(bytes, 2);
    // Power loss: the page holding the third record's body never reached the disk, later ones did.
    Arrays.fill(bytes, third + Segment.HEADER, third + Segment.HEADER + 5, (byte) 0);
    Files.write(segment, bytes);
    try (Outbox o = open(1 << 20)) {
      assertThat(o.stats().tornRecords()).isEqualTo(1);
      assertThat(Files.size(segment)).as("cut at the torn record").isEqualTo(third);
      o.append(PointClass.TELEMETRY, point(5));
    }
    try (Outbox o = open(1 << 20)) {
      assertThat(o.stats().tornRecords()).as("nothing torn is left to find again").isZero();
      assertThat(drain(o, false)).containsExactly(point(0), point(1), point(5));
    }
  }

  @Test
  void under_a_full_quota_the_oldest_telemetry_is_dropped_and_counted_and_evidence_is_kept()
      throws IOException {
    long quota = 4L * SEGMENT;
    try (Outbox o = open(quota)) {
      for (int i = 0; i < 5_000; i++) {
        o.append(PointClass.TELEMETRY, point(i));
      }
      for (int i = 0; i < 300; i++) {
        o.append(PointClass.PRESENCE, "presence " + i);
      }
      OutboxStats stats = o.stats();
      assertThat(stats.droppedTelemetry()).isPositive();
      List<String> evidence = drain(o, true);
      assertThat(evidence).hasSize(300).startsWith("presence 0").endsWith("presence 299");
      List<String> telemetry = drain(o, false);
      assertThat(telemetry.size() + stats.droppedTelemetry())
          .as("every point kept or counted")
          .isEqualTo(5_000);
      assertThat(telemetry).as("what is left is the newest, in order").endsWith(point(4_999));
      assertThat(telemetry).isSortedAccordingTo((a, b) -> Long.compare(value(a), value(b)));
    }
  }

  @Test
  void after_a_quota_drop_and_a_restart_the_kept_points_come_back_and_no_dropped_one_does()
      throws IOException {
    long dropped;
    try (Outbox o = open(4L * SEGMENT)) {
      for (int i = 0; i < 5_000; i++) {
        o.append(PointClass.TELEMETRY, point(i));
      }
      dropped = o.stats().droppedTelemetry();
    }
    assertThat(dropped).isPositive();
    try (Outbox o = open(4L * SEGMENT)) {
      List<String> telemetry = drain(o, false);
      assertThat(telemetry).hasSize((int) (5_000 - dropped)).endsWith(point(4_999));
      assertThat(value(telemetry.get(0))).as("the first kept point").isEqualTo(dropped);
    }
  }

  @Test
  void evidence_beyond_the_quota_is_kept_and_reported() throws IOException {
    try (Outbox o = open(4L * SEGMENT)) {
      for (int i = 0; i < 1_000; i++) {
        o.append(PointClass.STATUS, "status " + i);
      }
      assertThat(o.stats().overQuota()).isTrue();
      assertThat(drain(o, true)).hasSize(1_000);
    }
  }

  @Test
  void the_age_of_the_oldest_undelivered_point_follows_the_clock() throws IOException {
    try (Outbox o = open(1 << 20)) {
      o.append(PointClass.TELEMETRY, "t1");
      clock.advance(Duration.ofSeconds(42));
      o.append(PointClass.TELEMETRY, "t2");
      assertThat(o.stats().oldestAgeMillis()).isEqualTo(42_000);
    }
  }

  private static long value(String line) {
    return Long.parseLong(line.substring(line.indexOf("value=") + 6, line.lastIndexOf(' ')));
  }

  private static Path onlySegment(Path queue) throws IOException {
    try (Stream<Path> s = Files.list(queue)) {
      return s.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
  }

  /** Byte offset of record {@code n} (from 0) in a segment's bytes. */
  private static int recordStart(byte[] segment, int n) {
    ByteBuffer b = ByteBuffer.wrap(segment).order(ByteOrder.BIG_ENDIAN);
    int pos = 0;
    for (int i = 0; i < n; i++) {
      pos += Segment.HEADER + b.getInt(pos);
    }
    return pos;
  }

  private static int endOfRecords(Path segment) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.BIG_ENDIAN);
    int pos = 0;
    while (pos + 4 <= b.limit() && b.getInt(pos) != 0) {
      pos += Segment.HEADER + b.getInt(pos);
    }
    return pos;
  }
}
