package dev.onboard.meter.cli;

import dev.onboard.meter.csv.CsvReader;
import dev.onboard.meter.csv.Fields;
import dev.onboard.meter.csv.InputException;
import dev.onboard.meter.verification.EvidenceAccumulator;
import dev.onboard.meter.verification.EvidenceRow;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streams evidence.csv into an {@link EvidenceAccumulator}, one row at a time. Memory does not grow
 * with the number of rows.
 *
 * <p>First the fast way ({@link EvidenceBlocks}): one pass when each device's rows are in time
 * order, straight from the file's bytes. A file it does not handle (quotes, non-ASCII bytes, a
 * malformed row…) is read the general way, in the two passes it needs: a large file in chunks,
 * split at line breaks, on one thread per core, each into its own accumulator, merged after each
 * pass; if any chunk fails, the file is read again on one thread, so a malformed row is reported
 * with its exact line (and a split inside a quoted field cannot go unnoticed). Stateless.
 */
final class EvidenceFile {
  private static final long CHUNKED_FROM_BYTES = 64L << 20;
  static final String[] COLUMNS = {
    "device_id",
    "period_start",
    "period_end",
    "online_seconds",
    "good_samples",
    "value_changes",
    "max_clock_skew_ms",
    "arrived_central"
  };

  private EvidenceFile() {}

  /** The position of a device id in devices.csv, or −1 when it is not there. */
  @FunctionalInterface
  interface Lookup {
    int indexOf(String deviceId);
  }

  /**
   * Reads the file into {@code acc}: the fast way when it can, else the general way.
   *
   * @return how it was read, for the timings: "1 pass", "2 passes" (some device's rows out of time
   *     order) or "general, 2 passes"
   */
  static String accumulate(String name, DeviceIndex deviceIndex, EvidenceAccumulator acc)
      throws InputException {
    Path path = Path.of(name);
    int[] columns = null;
    try (CsvReader csv = CsvReader.open(path, name)) {
      columns = csv.columns(COLUMNS);
    } catch (InputException | IOException e) {
      // the general reader reports it
    }
    if (columns != null) {
      int passes = EvidenceBlocks.read(path, columns, deviceIndex, acc);
      if (passes > 0) {
        return passes == 1 ? "1 pass" : passes + " passes";
      }
    }
    accumulate(name, deviceIndex::get, acc, CHUNKED_FROM_BYTES);
    return "general, 2 passes";
  }

  /** Runs both passes, in chunks when the file has at least {@code chunkedFrom} bytes. */
  static void accumulate(
      String name, Map<String, Integer> deviceIndex, EvidenceAccumulator acc, long chunkedFrom)
      throws InputException {
    accumulate(
        name,
        id -> {
          Integer i = deviceIndex.get(id);
          return i == null ? -1 : i;
        },
        acc,
        chunkedFrom);
  }

  /** Runs both passes, in chunks when the file has at least {@code chunkedFrom} bytes. */
  static void accumulate(String name, Lookup deviceIndex, EvidenceAccumulator acc, long chunkedFrom)
      throws InputException {
    Path path = Path.of(name);
    int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
    long size;
    try {
      size = Files.size(path);
    } catch (IOException e) {
      throw new InputException(name, "cannot read the file (" + e.getMessage() + ")");
    }
    if (threads > 1 && size >= chunkedFrom) {
      try {
        chunked(path, name, deviceIndex, acc, threads);
        return;
      } catch (InputException | RuntimeException e) {
        // Read it again on one thread: that reports the exact line, and acc is still untouched.
      }
    }
    pass(name, deviceIndex, acc, true);
    pass(name, deviceIndex, acc, false);
  }

  private static void pass(String name, Lookup deviceIndex, EvidenceAccumulator acc, boolean first)
      throws InputException {
    try (CsvReader csv = CsvReader.open(Path.of(name), name)) {
      rows(csv, deviceIndex, acc, first);
    } catch (IOException e) {
      throw new InputException(name, "cannot read the file (" + e.getMessage() + ")");
    }
  }

  private static void rows(
      CsvReader csv, Lookup deviceIndex, EvidenceAccumulator acc, boolean first)
      throws InputException {
    int[] c = csv.columns(COLUMNS);
    Fields f = new Fields(csv);
    while (csv.next()) {
      String id = f.text(c[0]);
      int device = deviceIndex.indexOf(id);
      if (device < 0) {
        throw f.error(c[0], "\"" + id + "\" is not in the devices file");
      }
      EvidenceRow row;
      try {
        row =
            new EvidenceRow(
                id,
                f.instant(c[1]),
                f.instant(c[2]),
                f.count(c[3]),
                f.count(c[4]),
                f.count(c[5]),
                f.count(c[6]),
                f.bool(c[7]));
      } catch (IllegalArgumentException e) {
        throw f.error(e.getMessage());
      }
      if (first) {
        acc.firstPass(device, row);
      } else {
        acc.secondPass(device, row);
      }
    }
  }

  // --- chunks on several threads ---------------------------------------------------------------

  private static void chunked(
      Path path, String name, Lookup index, EvidenceAccumulator acc, int threads)
      throws InputException {
    List<String> header;
    long[] bounds;
    try (CsvReader csv = CsvReader.open(path, name)) {
      header = csv.header();
      csv.columns(COLUMNS);
      bounds = splitAtLineBreaks(path, threads);
    } catch (IOException e) {
      throw new InputException(name, "cannot read the file (" + e.getMessage() + ")");
    }
    List<EvidenceAccumulator> parts = new ArrayList<>();
    for (int i = 0; i + 1 < bounds.length; i++) {
      parts.add(acc.emptyCopy());
    }
    EvidenceAccumulator windows = acc.emptyCopy();
    runChunks(path, name, header, bounds, index, parts, true);
    parts.forEach(windows::mergeFirstPass);
    parts.forEach(p -> p.adoptWindows(windows));
    runChunks(path, name, header, bounds, index, parts, false);
    acc.adoptWindows(windows);
    parts.forEach(acc::mergeSecondPass);
  }

  /** Byte offsets: the end of the header, then line-break boundaries, then the file's size. */
  private static long[] splitAtLineBreaks(Path path, int chunks) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
      long size = f.length();
      long dataStart = nextLineStart(f, 0);
      long[] bounds = new long[chunks + 1];
      bounds[0] = dataStart;
      for (int i = 1; i < chunks; i++) {
        long guess = dataStart + (size - dataStart) * i / chunks;
        bounds[i] = Math.max(bounds[i - 1], nextLineStart(f, guess));
      }
      bounds[chunks] = size;
      return bounds;
    }
  }

  /**
   * The offset of the first line that starts at or after {@code from} (the file's size if none).
   */
  static long nextLineStart(RandomAccessFile f, long from) throws IOException {
    f.seek(from);
    byte[] buf = new byte[8192];
    long pos = from;
    int n;
    while ((n = f.read(buf)) > 0) {
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          return pos + i + 1;
        }
      }
      pos += n;
    }
    return pos;
  }

  private static void runChunks(
      Path path,
      String name,
      List<String> header,
      long[] bounds,
      Lookup index,
      List<EvidenceAccumulator> parts,
      boolean first)
      throws InputException {
    Throwable[] failure = new Throwable[parts.size()];
    boolean joined =
        EvidenceBlocks.runAll(
            "meter-evidence-" + (first ? "pass1-" : "pass2-"),
            parts.size(),
            chunk -> {
              try (CsvReader csv =
                  CsvReader.openRange(path, name, header, bounds[chunk], bounds[chunk + 1])) {
                rows(csv, index, parts.get(chunk), first);
              } catch (InputException | IOException | RuntimeException e) {
                failure[chunk] = e;
              }
            });
    if (!joined) {
      throw new IllegalStateException("interrupted while reading " + name);
    }
    for (Throwable t : failure) {
      if (t != null) {
        throw new IllegalStateException("a chunk of " + name + " failed", t);
      }
    }
  }
}
