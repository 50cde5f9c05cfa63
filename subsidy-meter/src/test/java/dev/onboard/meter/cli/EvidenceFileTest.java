package dev.onboard.meter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.meter.csv.InputException;
import dev.onboard.meter.verification.EvidenceAccumulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evidence.csv read in chunks on several threads gives what one thread gives, errors included. */
class EvidenceFileTest {
  private static final int DEVICES = 300;
  @TempDir Path dir;

  private Path write(String extraRow) throws IOException {
    Random r = new Random(7);
    StringBuilder s =
        new StringBuilder(
            "device_id,period_start,period_end,online_seconds,good_samples,value_changes,max_clock_skew_ms,arrived_central\n");
    Instant base = Instant.parse("2024-03-01T00:00:00Z");
    for (int i = 0; i < 20_000; i++) {
      Instant start = base.plusSeconds(r.nextInt(60) * 86_400L);
      long length = 86_400L * (1 + r.nextInt(5));
      s.append("D")
          .append(r.nextInt(DEVICES))
          .append(',')
          .append(start)
          .append(',')
          .append(start.plusSeconds(length))
          .append(',')
          .append(r.nextInt((int) length))
          .append(',')
          .append(r.nextInt(4) == 0 ? 0 : 10)
          .append(',')
          .append(r.nextInt(3))
          .append(',')
          .append(r.nextInt(6000))
          .append(',')
          .append(r.nextBoolean())
          .append('\n');
      if (i == 15_000 && extraRow != null) {
        s.append(extraRow).append('\n');
      }
    }
    Path p = dir.resolve("evidence.csv");
    Files.writeString(p, s);
    return p;
  }

  private static Map<String, Integer> index() {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < DEVICES; i++) {
      index.put("D" + i, i);
    }
    return index;
  }

  @Test
  void reading_in_chunks_on_several_threads_sums_exactly_what_one_thread_sums() throws Exception {
    Path p = write(null);
    EvidenceAccumulator one = new EvidenceAccumulator(DEVICES, Duration.ofDays(30));
    EvidenceAccumulator chunked = new EvidenceAccumulator(DEVICES, Duration.ofDays(30));

    EvidenceFile.accumulate(p.toString(), index(), one, Long.MAX_VALUE);
    EvidenceFile.accumulate(p.toString(), index(), chunked, 0);

    for (int i = 0; i < DEVICES; i++) {
      assertThat(chunked.summary(i)).as("device %d", i).isEqualTo(one.summary(i));
    }
  }

  @Test
  void a_malformed_row_in_a_later_chunk_is_reported_with_its_line_in_the_whole_file()
      throws Exception {
    Path p = write("D1,2024-03-01T00:00:00Z,2024-03-02T00:00:00Z,-5,1,1,1,true");
    EvidenceAccumulator acc = new EvidenceAccumulator(DEVICES, Duration.ofDays(30));

    assertThatThrownBy(() -> EvidenceFile.accumulate(p.toString(), index(), acc, 0))
        .isInstanceOf(InputException.class)
        .hasMessage(p + ", line 15003: online_seconds \"-5\" is negative");
  }
}
