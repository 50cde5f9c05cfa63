package dev.onboard.meter.cli;

import dev.onboard.meter.csv.AsciiFields;
import dev.onboard.meter.csv.AsciiFields.Unhandled;
import dev.onboard.meter.verification.EvidenceAccumulator;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The fast way through evidence.csv: blocks of a few MB, split at line breaks, parsed straight from
 * their bytes on one thread per core, and fed to one {@link EvidenceAccumulator} in the file's
 * order, so {@link EvidenceAccumulator#onePass} sees each device's rows as they are written. When
 * some device's rows were not in time order, a second read adds up exactly those devices. Memory is
 * a few blocks, however long the file.
 *
 * <p>It handles the plain case only: unquoted ASCII fields, LF or CRLF line ends, values as {@link
 * dev.onboard.meter.csv.Fields} accepts them. Anything else (a quote, a byte outside ASCII, a
 * malformed row, an unknown device, an I/O error) makes {@link #read} return 0 with the accumulator
 * untouched; the caller then reads the file the general way, which reports a malformed row with its
 * exact line. Stateless.
 */
final class EvidenceBlocks {
  private static final int BLOCK_BYTES = 4 << 20;

  private EvidenceBlocks() {}

  /**
   * Reads all of evidence.csv into {@code acc} (in one pass when each device's rows are in time
   * order, else two).
   *
   * @param columns the index of each column of {@link EvidenceFile}'s list, by the header
   * @return the number of passes it took (1 or 2), or 0 when the file needs the general reader;
   *     {@code acc} is then untouched
   */
  static int read(Path path, int[] columns, DeviceIndex index, EvidenceAccumulator acc) {
    return read(path, columns, index, acc, BLOCK_BYTES, threads());
  }

  static int threads() {
    return Math.min(4, Runtime.getRuntime().availableProcessors());
  }

  /** As {@link #read(Path, int[], DeviceIndex, EvidenceAccumulator)}, with its sizes given. */
  static int read(
      Path path,
      int[] columns,
      DeviceIndex index,
      EvidenceAccumulator acc,
      int blockBytes,
      int threads) {
    EvidenceAccumulator work = acc.emptyCopy();
    int passes = 1;
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long[] bounds = blocks(path, blockBytes);
      if (bounds == null) {
        return 0;
      }
      threads = Math.max(1, Math.min(threads, bounds.length - 1));
      Run first = new Run(ch, bounds, columns, index, work, true, threads);
      if (!first.go()) {
        return 0;
      }
      if (work.undecided() > 0) {
        passes = 2;
        Run second = new Run(ch, bounds, columns, index, work, false, threads);
        if (!second.go()) {
          return 0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    acc.adopt(work);
    return passes;
  }

  /**
   * Byte offsets of the blocks: the end of the header line, then line starts about {@code
   * blockBytes} apart, then the file's size; {@code null} when the header line has a quote (it
   * might span lines).
   */
  private static long[] blocks(Path path, int blockBytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
      long size = f.length();
      byte[] head = new byte[(int) Math.min(size, 1 << 16)];
      f.readFully(head);
      int firstBreak = -1;
      for (int i = 0; i < head.length; i++) {
        if (head[i] == '"' || (head[i] == '\r' && i + 1 < head.length && head[i + 1] != '\n')) {
          return null;
        }
        if (head[i] == '\n') {
          firstBreak = i;
          break;
        }
      }
      if (firstBreak < 0) {
        return null; // a header of 64 KB, or no data: the general reader is quick enough
      }
      List<Long> bounds = new ArrayList<>();
      long pos = firstBreak + 1;
      bounds.add(pos);
      while (size - pos > blockBytes) {
        long guess = pos + blockBytes;
        long next = EvidenceFile.nextLineStart(f, guess);
        if (next >= size) {
          break;
        }
        bounds.add(next);
        pos = next;
      }
      bounds.add(size);
      return bounds.stream().mapToLong(Long::longValue).toArray();
    }
  }

  /**
   * Runs {@code body} for 0 … n−1, each on a thread of its own named {@code name} + i, and waits
   * for all of them.
   *
   * @return false when interrupted while waiting
   */
  static boolean runAll(String name, int n, IntConsumer body) {
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      Thread t = new Thread(() -> body.accept(k), name + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
    boolean joined = true;
    for (Thread t : workers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        joined = false;
      }
    }
    return joined;
  }

  /** The rows of one block, parsed. */
  private static final class Batch {
    int rows;
    int[] device = new int[0];
    long[] start = new long[0];
    long[] end = new long[0];
    long[] online = new long[0];
    long[] changes = new long[0];
    long[] skew = new long[0];
    boolean[] good = new boolean[0];
    boolean[] central = new boolean[0];
    int[] idFrom = new int[0]; // the device id's bytes in the block, until it is looked up
    int[] idTo = new int[0];

    void add(int from, int to, long s, long e, long on, boolean g, long ch, long sk, boolean c) {
      if (rows == device.length) {
        int n = Math.max(1024, rows * 2);
        device = java.util.Arrays.copyOf(device, n);
        idFrom = java.util.Arrays.copyOf(idFrom, n);
        idTo = java.util.Arrays.copyOf(idTo, n);
        start = java.util.Arrays.copyOf(start, n);
        end = java.util.Arrays.copyOf(end, n);
        online = java.util.Arrays.copyOf(online, n);
        changes = java.util.Arrays.copyOf(changes, n);
        skew = java.util.Arrays.copyOf(skew, n);
        good = java.util.Arrays.copyOf(good, n);
        central = java.util.Arrays.copyOf(central, n);
      }
      idFrom[rows] = from;
      idTo[rows] = to;
      start[rows] = s;
      end[rows] = e;
      online[rows] = on;
      changes[rows] = ch;
      skew[rows] = sk;
      good[rows] = g;
      central[rows] = c;
      rows++;
    }
  }

  /** One read of the whole file: workers parse blocks; batches are applied in block order. */
  private static final class Run {
    private final FileChannel ch;
    private final long[] bounds;
    private final int[] columns;
    private final int fieldsNeeded;
    private final DeviceIndex index;
    private final EvidenceAccumulator acc;
    private final boolean first;
    private final int threads;
    private final AtomicInteger nextBlock = new AtomicInteger();
    private final BlockingQueue<Batch> free;
    private final Batch[] ready;
    private int nextToApply; // guarded by this
    private boolean applying; // guarded by this
    private volatile boolean failed;

    Run(
        FileChannel ch,
        long[] bounds,
        int[] columns,
        DeviceIndex index,
        EvidenceAccumulator acc,
        boolean first,
        int threads) {
      this.ch = ch;
      this.bounds = bounds;
      this.columns = columns;
      int max = 0;
      for (int c : columns) {
        max = Math.max(max, c);
      }
      this.fieldsNeeded = max + 1;
      this.index = index;
      this.acc = acc;
      this.first = first;
      this.threads = threads;
      this.ready = new Batch[bounds.length - 1];
      this.free = new ArrayBlockingQueue<>(threads * 2 + 1);
      for (int i = 0; i < threads * 2 + 1; i++) {
        free.add(new Batch());
      }
    }

    /** Reads every block; false when some block needs the general reader. */
    boolean go() {
      if (threads <= 1) {
        work();
        return !failed;
      }
      if (!runAll("meter-evidence-" + (first ? "" : "again-"), threads, i -> work())) {
        failed = true;
      }
      return !failed;
    }

    private void work() {
      byte[] buf = new byte[0];
      int[] cuts = new int[fieldsNeeded];
      try {
        while (!failed) {
          Batch b = free.poll(50, TimeUnit.MILLISECONDS);
          if (b == null) {
            continue;
          }
          int block = nextBlock.getAndIncrement();
          if (block >= ready.length) {
            free.add(b);
            return;
          }
          long from = bounds[block];
          int len = (int) (bounds[block + 1] - from);
          if (buf.length < len) {
            buf = new byte[len];
          }
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
          while (bb.hasRemaining()) {
            if (ch.read(bb, from + bb.position()) < 0) {
              throw new IOException("the file shrank while it was read");
            }
          }
          b.rows = 0;
          parse(buf, len, cuts, b);
          submit(block, b);
        }
      } catch (Unhandled | IOException | RuntimeException e) {
        failed = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed = true;
      }
    }

    /** Parses the lines of {@code buf[0, len)} into {@code b}. */
    private void parse(byte[] buf, int len, int[] cuts, Batch b) throws Unhandled {
      int[] c = columns;
      int p = 0;
      while (p < len) {
        int lineStart = p;
        int commas = 0;
        int i = p;
        for (; i < len; i++) {
          byte x = buf[i];
          if (x == '\n') {
            break;
          }
          if (x == ',') {
            if (commas < cuts.length) {
              cuts[commas] = i;
            }
            commas++;
          } else if (x == '"' || x < 0) {
            throw Unhandled.INSTANCE;
          } else if (x == '\r' && i + 1 < len && buf[i + 1] != '\n') {
            throw Unhandled.INSTANCE; // a lone CR ends a record in the general reader
          }
        }
        int lineEnd = i;
        p = i + 1;
        if (lineEnd > lineStart && buf[lineEnd - 1] == '\r') {
          lineEnd--; // CRLF, or a CR at the very end of the file
        }
        if (lineEnd == lineStart) {
          continue; // an empty line
        }
        if (commas + 1 < fieldsNeeded) {
          throw Unhandled.INSTANCE; // too few columns
        }
        // field k is [k == 0 ? lineStart : cuts[k − 1] + 1, k < commas ? cuts[k] : lineEnd)
        int idFrom = fieldStart(c[0], lineStart, cuts);
        int idTo = fieldEnd(c[0], commas, lineEnd, cuts);
        int a = AsciiFields.stripStart(buf, idFrom, idTo);
        int z = AsciiFields.stripEnd(buf, a, idTo);
        long start = instant(buf, c[1], lineStart, commas, lineEnd, cuts);
        long end = instant(buf, c[2], lineStart, commas, lineEnd, cuts);
        long online = count(buf, c[3], lineStart, commas, lineEnd, cuts);
        long good = count(buf, c[4], lineStart, commas, lineEnd, cuts);
        long changes = count(buf, c[5], lineStart, commas, lineEnd, cuts);
        long skew = count(buf, c[6], lineStart, commas, lineEnd, cuts);
        boolean central =
            AsciiFields.bool(
                buf, fieldStart(c[7], lineStart, cuts), fieldEnd(c[7], commas, lineEnd, cuts));
        // EvidenceRow's checks: the period has a length, the online time fits in it
        if (end <= start || online > (end - start) / 1000) {
          throw Unhandled.INSTANCE;
        }
        b.add(a, z, start, end, online, good > 0, changes, skew, central);
      }
      // The devices last, in a loop of their own: each lookup is a likely cache miss in a table of
      // a million ids, and here the processor can wait for several at once.
      DeviceIndex ids = index;
      for (int r = 0; r < b.rows; r++) {
        int device = ids.get(buf, b.idFrom[r], b.idTo[r]);
        if (device < 0) {
          throw Unhandled.INSTANCE;
        }
        b.device[r] = device;
      }
    }

    private static int fieldStart(int k, int lineStart, int[] cuts) {
      return k == 0 ? lineStart : cuts[k - 1] + 1;
    }

    private static int fieldEnd(int k, int commas, int lineEnd, int[] cuts) {
      return k < commas ? cuts[k] : lineEnd;
    }

    private static long instant(byte[] buf, int k, int ls, int commas, int le, int[] cuts)
        throws Unhandled {
      return AsciiFields.instantMillis(buf, fieldStart(k, ls, cuts), fieldEnd(k, commas, le, cuts));
    }

    private static long count(byte[] buf, int k, int ls, int commas, int le, int[] cuts)
        throws Unhandled {
      return AsciiFields.count(buf, fieldStart(k, ls, cuts), fieldEnd(k, commas, le, cuts));
    }

    /** Hands over block {@code block}'s rows; whoever finds the next block ready applies it. */
    private void submit(int block, Batch b) {
      synchronized (this) {
        ready[block] = b;
        if (applying) {
          return;
        }
        applying = true;
      }
      while (true) {
        Batch next;
        synchronized (this) {
          next = nextToApply < ready.length ? ready[nextToApply] : null;
          if (next == null || failed) {
            applying = false;
            return;
          }
          ready[nextToApply] = null;
          nextToApply++;
        }
        try {
          apply(next);
        } catch (RuntimeException e) {
          failed = true;
          synchronized (this) {
            applying = false;
          }
          throw e;
        }
        free.add(next);
      }
    }

    private void apply(Batch b) {
      EvidenceAccumulator a = acc;
      if (first) {
        for (int i = 0; i < b.rows; i++) {
          a.onePass(
              b.device[i],
              b.start[i],
              b.end[i],
              b.online[i],
              b.good[i],
              b.changes[i],
              b.skew[i],
              b.central[i]);
        }
      } else {
        for (int i = 0; i < b.rows; i++) {
          a.secondPassOfUndecided(
              b.device[i], b.start[i], b.end[i], b.online[i], b.changes[i], b.skew[i]);
        }
      }
    }
  }
}
