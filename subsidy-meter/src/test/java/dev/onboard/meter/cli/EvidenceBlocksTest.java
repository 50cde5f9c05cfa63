package dev.onboard.meter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.meter.csv.CsvReader;
import dev.onboard.meter.csv.InputException;
import dev.onboard.meter.verification.EvidenceAccumulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast reader of evidence.csv (one pass, bytes, blocks on several threads) sums exactly what
 * the general two-pass reader sums, whatever the order of the rows; what it does not handle goes to
 * the general reader, which reports errors as before.
 */
class EvidenceBlocksTest {
  private static final int DEVICES = 300;
  private static final String HEADER =
      "device_id,period_start,period_end,online_seconds,good_samples,value_changes,max_clock_skew_ms,arrived_central";
  @TempDir Path dir;

  /** Rows of random devices at random times, possibly overlapping, some without Good samples. */
  private static List<String> randomRows(Random r, int n) {
    List<String> rows = new ArrayList<>();
    Instant base = Instant.parse("2024-03-01T00:00:00Z");
    for (int i = 0; i < n; i++) {
      Instant start = base.plusSeconds(r.nextInt(60) * 86_400L + r.nextInt(3) * 3600L);
      long length = 3600L * (1 + r.nextInt(120));
      rows.add(
          "D"
              + r.nextInt(DEVICES)
              + ","
              + start
              + ","
              + start.plusSeconds(length)
              + ","
              + r.nextInt((int) length + 1)
              + ","
              + (r.nextInt(4) == 0 ? 0 : 10)
              + ","
              + r.nextInt(3)
              + ","
              + r.nextInt(6000)
              + ","
              + r.nextBoolean());
    }
    return rows;
  }

  /** Each device's rows back to back in time, rounds of all devices (as the gateway writes). */
  private static List<String> orderedRows(Random r) {
    List<String> rows = new ArrayList<>();
    Instant base = Instant.parse("2024-03-01T00:00:00Z");
    int[] day = new int[DEVICES];
    for (int d = 0; d < DEVICES; d++) {
      day[d] = r.nextInt(300);
    }
    for (int k = 0; k < 12; k++) {
      for (int d = 0; d < DEVICES; d++) {
        Instant start = base.plusSeconds((day[d] + 3L * k) * 86_400);
        long length = 3 * 86_400L;
        rows.add(
            "D"
                + d
                + ","
                + start
                + ","
                + start.plusSeconds(length)
                + ","
                + (length - r.nextInt(7200))
                + ","
                + (k == 0 && d % 7 == 0 ? 0 : 1 + r.nextInt(50))
                + ","
                + r.nextInt(5)
                + ","
                + r.nextInt(6000)
                + ","
                + (d % 11 != 0));
      }
    }
    return rows;
  }

  private Path file(String header, List<String> rows, String lineEnd) throws IOException {
    StringBuilder s = new StringBuilder(header).append(lineEnd);
    rows.forEach(row -> s.append(row).append(lineEnd));
    Path p = dir.resolve("evidence-" + System.nanoTime() + ".csv");
    Files.writeString(p, s);
    return p;
  }

  private static DeviceIndex index() {
    DeviceIndex index = new DeviceIndex();
    for (int i = 0; i < DEVICES; i++) {
      index.putIfAbsent("D" + i);
    }
    return index;
  }

  private static EvidenceAccumulator general(Path p) throws InputException {
    EvidenceAccumulator acc = new EvidenceAccumulator(DEVICES, Duration.ofDays(30));
    DeviceIndex index = index();
    EvidenceFile.accumulate(p.toString(), index::get, acc, Long.MAX_VALUE);
    return acc;
  }

  private static int[] columns(Path p) throws Exception {
    try (CsvReader csv = CsvReader.open(p, p.toString())) {
      return csv.columns(EvidenceFile.COLUMNS);
    }
  }

  private static void assertSame(EvidenceAccumulator actual, EvidenceAccumulator expected) {
    for (int i = 0; i < DEVICES; i++) {
      assertThat(actual.summary(i)).as("device %d", i).isEqualTo(expected.summary(i));
    }
  }

  @Test
  void rows_in_each_devices_time_order_take_one_pass_and_sum_what_two_passes_sum()
      throws Exception {
    Path p = file(HEADER, orderedRows(new Random(1)), "\n");
    for (int threads : new int[] {1, 2, 4}) {
      for (int block : new int[] {100, 4096, 1 << 22}) {
        EvidenceAccumulator fast = new EvidenceAccumulator(DEVICES, Duration.ofDays(30));
        assertThat(EvidenceBlocks.read(p, columns(p), index(), fast, block, threads))
            .as("passes with %d threads, %d-byte blocks", threads, block)
            .isEqualTo(1);
        assertSame(fast, general(p));
      }
    }
  }

  @Test
  void rows_out_of_order_take_a_second_pass_for_the_devices_concerned_and_sum_exactly()
      throws Exception {
    for (int seed = 0; seed < 20; seed++) {
      Random r = new Random(seed);
      List<String> rows = seed % 2 == 0 ? randomRows(r, 5_000) : orderedRows(r);
      if (seed % 2 == 1) {
        // time order broken for a few devices only
        for (int i = 0; i < 30; i++) {
          Collections.swap(rows, r.nextInt(rows.size()), r.nextInt(rows.size()));
        }
      }
      Path p = file(HEADER, rows, "\n");
      EvidenceAccumulator fast = new EvidenceAccumulator(DEVICES, Duration.ofDays(30));
      assertThat(EvidenceBlocks.read(p, columns(p), index(), fast, 2048, 2))
          .as("seed %d", seed)
          .isEqualTo(2);
      assertSame(fast, general(p));
    }
  }

  @Test
  void a_row_before_the_window_that_reaches_into_it_is_counted() throws Exception {
    // D0's first row has no Good samples and overlaps the window the second row opens.
    List<String> rows =
        List.of(
            "D0,2024-03-01T00:00:00Z,2024-03-03T00:00:00Z,172800,0,4,10,true",
            "D0,2024-03-02T00:00:00Z,2024-03-04T00:00:00Z,86400,5,1,20,true",
            "D1,2024-03-01T00:00:00Z,2024-03-02T00:00:00Z,86400,0,4,10,true",
            "D1,2024-03-02T00:00:00Z,2024-03-04T00:00:00Z,86400,5,1,20,true");
    Path p = file(HEADER, rows, "\n");
    EvidenceAccumulator fast = new EvidenceAccumulator(DEVICES, Duration.ofDays(30));

    assertThat(EvidenceBlocks.read(p, columns(p), index(), fast, 1 << 20, 1)).isEqualTo(2);
    assertSame(fast, general(p));
    assertThat(fast.summary(0).onlineMillis()).isEqualTo((86_400L + 86_400L) * 1000);
    assertThat(fast.summary(1).onlineMillis()).isEqualTo(86_400L * 1000);
  }

  @Test
  void crlf_blank_lines_extra_columns_another_column_order_and_spaces_read_as_the_general_reader()
      throws Exception {
    String header =
        "note,arrived_central,max_clock_skew_ms,value_changes,good_samples,online_seconds,period_end,period_start,device_id";
    List<String> rows = new ArrayList<>();
    for (String row : orderedRows(new Random(3))) {
      String[] f = row.split(",");
      rows.add(
          "x ,"
              + f[7].toUpperCase()
              + ", "
              + f[6]
              + ","
              + f[5]
              + ","
              + f[4]
              + ",+"
              + f[3]
              + ","
              + f[2].replace("Z", "+00:00")
              + ","
              + f[1]
              + ",\t"
              + f[0]
              + " ");
      if (rows.size() % 500 == 0) {
        rows.add("");
      }
    }
    Path p = file(header, rows, "\r\n");
    EvidenceAccumulator fast = new EvidenceAccumulator(DEVICES, Duration.ofDays(30));

    assertThat(EvidenceBlocks.read(p, columns(p), index(), fast, 4096, 2)).isEqualTo(1);
    assertSame(fast, general(p));
  }

  @Test
  void a_quote_or_a_byte_outside_ascii_leaves_the_file_to_the_general_reader() throws Exception {
    List<String> rows = new ArrayList<>(orderedRows(new Random(4)));
    rows.set(2000, "\"" + rows.get(2000).replaceFirst(",", "\","));
    Path quoted = file(HEADER, rows, "\n");
    List<String> rows2 = new ArrayList<>(orderedRows(new Random(4)));
    rows2.set(10, rows2.get(10) + ",é");
    Path accented = file(HEADER + ",note", rows2, "\n");

    for (Path p : List.of(quoted, accented)) {
      EvidenceAccumulator fast = new EvidenceAccumulator(DEVICES, Duration.ofDays(30));
      assertThat(EvidenceBlocks.read(p, columns(p), index(), fast, 4096, 2)).isZero();
      assertSame(fast, new EvidenceAccumulator(DEVICES, Duration.ofDays(30))); // untouched
      EvidenceAccumulator acc = new EvidenceAccumulator(DEVICES, Duration.ofDays(30));
      assertThat(EvidenceFile.accumulate(p.toString(), index(), acc))
          .isEqualTo("general, 2 passes");
      assertSame(acc, general(p));
    }
  }

  @Test
  void a_malformed_row_is_reported_with_its_line_as_before() throws Exception {
    List<String> rows = new ArrayList<>(orderedRows(new Random(5)));
    rows.set(2500, "D1,2024-03-01T00:00:00Z,2024-03-02T00:00:00Z,86401,1,1,1,true");
    Path tooLong = file(HEADER, rows, "\n");
    rows.set(2500, "D1,2024-02-30T00:00:00Z,2024-03-02T00:00:00Z,5,1,1,1,true");
    Path badDate = file(HEADER, rows, "\n");
    rows.set(2500, "D999,2024-03-01T00:00:00Z,2024-03-02T00:00:00Z,5,1,1,1,true");
    Path unknown = file(HEADER, rows, "\n");
    rows.set(2500, "D1,2024-03-01T00:00:00Z,2024-03-02T00:00:00Z,5,1,1,1");
    Path short_ = file(HEADER, rows, "\n");

    assertThatThrownBy(() -> read(tooLong))
        .hasMessage(
            tooLong
                + ", line 2502: online_seconds 86401 exceeds the period's length of 86400 seconds");
    assertThatThrownBy(() -> read(badDate))
        .hasMessageStartingWith(
            badDate + ", line 2502: period_start \"2024-02-30T00:00:00Z\" is not");
    assertThatThrownBy(() -> read(unknown))
        .hasMessage(unknown + ", line 2502: device_id \"D999\" is not in the devices file");
    assertThatThrownBy(() -> read(short_))
        .hasMessage(short_ + ", line 2502: expected 8 columns, found 7");
  }

  private static void read(Path p) throws InputException {
    EvidenceFile.accumulate(
        p.toString(), index(), new EvidenceAccumulator(DEVICES, Duration.ofDays(30)));
  }
}
