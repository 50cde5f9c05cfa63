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
 * Streams evidence.csv into an {@link EvidenceAccumulator}, one row at a time, in the two passes it
 * needs. Memory does not grow with the number of rows. A large file is read in chunks, split at
 * line breaks, on one thread per core, each into its own accumulator, merged after each pass; if
 * any chunk fails, the file is read again on one thread, so a malformed row is reported with its
 * exact line (and a split inside a quoted field cannot go unnoticed). Stateless.
 */
final class EvidenceFile {
  private static final long CHUNKED_FROM_BYTES = 64L << 20;
  private static final String[] COLUMNS = {
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

  /** Runs both passes over the file. */
  static void accumulate(String name, Map<String, Integer> deviceIndex, EvidenceAccumulator acc)
      throws InputException {
    accumulate(name, deviceIndex, acc, CHUNKED_FROM_BYTES);
  }

  /** Runs both passes, in chunks when the file has at least {@code chunkedFrom} bytes. */
  static void accumulate(
      String name, Map<String, Integer> deviceIndex, EvidenceAccumulator acc, long chunkedFrom)
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

  private static void pass(
      String name, Map<String, Integer> deviceIndex, EvidenceAccumulator acc, boolean first)
      throws InputException {
    try (CsvReader csv = CsvReader.open(Path.of(name), name)) {
      rows(csv, deviceIndex, acc, first);
    } catch (IOException e) {
      throw new InputException(name, "cannot read the file (" + e.getMessage() + ")");
    }
  }

  private static void rows(
      CsvReader csv, Map<String, Integer> deviceIndex, EvidenceAccumulator acc, boolean first)
      throws InputException {
    int[] c = csv.columns(COLUMNS);
    Fields f = new Fields(csv);
    while (csv.next()) {
      String id = f.text(c[0]);
      Integer device = deviceIndex.get(id);
      if (device == null) {
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
      Path path, String name, Map<String, Integer> index, EvidenceAccumulator acc, int threads)
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

  private static long nextLineStart(RandomAccessFile f, long from) throws IOException {
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
      Map<String, Integer> index,
      List<EvidenceAccumulator> parts,
      boolean first)
      throws InputException {
    List<Thread> workers = new ArrayList<>();
    Throwable[] failure = new Throwable[parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      int chunk = i;
      Thread t =
          new Thread(
              () -> {
                try (CsvReader csv =
                    CsvReader.openRange(path, name, header, bounds[chunk], bounds[chunk + 1])) {
                  rows(csv, index, parts.get(chunk), first);
                } catch (InputException | IOException | RuntimeException e) {
                  failure[chunk] = e;
                }
              },
              "meter-evidence-" + (first ? "pass1-" : "pass2-") + chunk);
      workers.add(t);
      t.start();
    }
    for (Thread t : workers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading " + name, e);
      }
    }
    for (Throwable t : failure) {
      if (t != null) {
        throw new IllegalStateException("a chunk of " + name + " failed", t);
      }
    }
  }
}
