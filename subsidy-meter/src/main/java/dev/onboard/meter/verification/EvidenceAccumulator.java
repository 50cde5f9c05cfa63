package dev.onboard.meter.verification;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Folds streamed evidence rows into one {@link EvidenceSummary} per device, in two passes over the
 * rows in any order: pass 1 finds each window's start (first row with Good samples); pass 2 adds up
 * the rows inside the window. Memory grows with devices (a few arrays indexed 0…n−1), never with
 * rows.
 *
 * <p>Or in one pass ({@link #onePass}), when each device's rows come in time order, as the
 * gateway's ledger writes them: a device's window then starts at its first row with Good samples,
 * and every later row can be added up at once. A device whose rows break that (a Good row earlier
 * than its window, or a row before its window that reaches into it) is noted as <em>undecided</em>
 * and its sums are dropped; {@link #secondPassOfUndecided} over all rows then adds up exactly those
 * devices, as pass 2 would. The window starts found by {@link #onePass} are those of pass 1 for
 * every device, so the summaries equal the two passes' whatever the order of the rows.
 *
 * <p>Not thread-safe: one accumulator per run, fed from one thread at a time.
 */
public final class EvidenceAccumulator {
  private static final long NONE = Long.MAX_VALUE;

  private final Duration window;
  private final long windowMillis;
  private final long[] windowStart;
  private final boolean[] arrivedCentral;
  private final long[] onlineMillis;
  private final long[] valueChanges;
  private final long[] maxSkew;
  // One pass only (allocated by the first onePass call): the latest end of a device's rows before
  // its window started, and the devices whose rows one pass cannot add up.
  private long[] endBeforeWindow;
  private boolean[] undecided;
  private int undecidedCount;

  /**
   * An accumulator for devices numbered {@code 0 … deviceCount−1}.
   *
   * @param window the observation window length
   */
  public EvidenceAccumulator(int deviceCount, Duration window) {
    this.window = window;
    this.windowMillis = window.toMillis();
    this.windowStart = new long[deviceCount];
    Arrays.fill(windowStart, NONE);
    this.arrivedCentral = new boolean[deviceCount];
    this.onlineMillis = new long[deviceCount];
    this.valueChanges = new long[deviceCount];
    this.maxSkew = new long[deviceCount];
  }

  /** Pass 1: notes Good data and central arrival of device {@code device}. */
  public void firstPass(int device, EvidenceRow row) {
    if (row.goodSamples() > 0) {
      windowStart[device] = Math.min(windowStart[device], row.periodStart().toEpochMilli());
      if (row.arrivedCentral()) {
        arrivedCentral[device] = true;
      }
    }
  }

  /** Pass 2 (after every row went through pass 1): adds the part of the row inside the window. */
  public void secondPass(int device, EvidenceRow row) {
    add(
        device,
        row.periodStart().toEpochMilli(),
        row.periodEnd().toEpochMilli(),
        row.onlineSeconds(),
        row.valueChanges(),
        row.maxClockSkewMillis());
  }

  /** Pass 2 of one row given by its fields (a row as {@link EvidenceRow} checks it). */
  private void add(
      int device, long rowStart, long rowEnd, long onlineSeconds, long changes, long skew) {
    long start = windowStart[device];
    if (start == NONE) {
      return;
    }
    long end = start + windowMillis;
    long overlap = Math.min(end, rowEnd) - Math.max(start, rowStart);
    if (overlap <= 0) {
      return;
    }
    long rowOnline = Math.multiplyExact(onlineSeconds, 1000L);
    long inside =
        overlap == rowEnd - rowStart ? rowOnline : mulDiv(rowOnline, overlap, rowEnd - rowStart);
    onlineMillis[device] = Math.addExact(onlineMillis[device], Math.min(inside, overlap));
    valueChanges[device] = Math.addExact(valueChanges[device], changes);
    maxSkew[device] = Math.max(maxSkew[device], skew);
  }

  /**
   * One pass: both passes of one row at once, for rows that come in each device's time order. The
   * row's fields must be valid as {@link EvidenceRow} checks them (end after start, counts ≥ 0,
   * online time within the period); times are epoch milliseconds.
   *
   * @param goodSamples whether the row has Good samples ({@code good_samples > 0})
   */
  public void onePass(
      int device,
      long rowStart,
      long rowEnd,
      long onlineSeconds,
      boolean goodSamples,
      long changes,
      long skew,
      boolean central) {
    if (undecided == null) {
      endBeforeWindow = new long[windowStart.length];
      Arrays.fill(endBeforeWindow, Long.MIN_VALUE);
      undecided = new boolean[windowStart.length];
    }
    long start = windowStart[device];
    if (goodSamples) {
      if (central) {
        arrivedCentral[device] = true;
      }
      if (start == NONE) {
        windowStart[device] = rowStart;
        start = rowStart;
        if (endBeforeWindow[device] > rowStart) {
          undecide(device); // an earlier row may reach into the window: its part is unknown here
        }
      } else if (rowStart < start) {
        windowStart[device] = rowStart; // the window moves: what was added up no longer counts
        undecide(device);
      }
    }
    if (undecided[device]) {
      return;
    }
    if (start == NONE) {
      endBeforeWindow[device] = Math.max(endBeforeWindow[device], rowEnd);
      return;
    }
    add(device, rowStart, rowEnd, onlineSeconds, changes, skew);
  }

  private void undecide(int device) {
    if (!undecided[device]) {
      undecided[device] = true;
      undecidedCount++;
    }
    onlineMillis[device] = 0;
    valueChanges[device] = 0;
    maxSkew[device] = 0;
  }

  /**
   * How many devices {@link #onePass} could not add up (0 when every device's rows were in order).
   */
  public int undecided() {
    return undecided == null ? 0 : undecidedCount;
  }

  /**
   * After {@link #onePass} saw every row: pass 2 of one row for the devices it could not add up;
   * rows of other devices are ignored. Fields as for {@link #onePass}.
   */
  public void secondPassOfUndecided(
      int device, long rowStart, long rowEnd, long onlineSeconds, long changes, long skew) {
    if (undecided != null && undecided[device]) {
      add(device, rowStart, rowEnd, onlineSeconds, changes, skew);
    }
  }

  /** Takes everything {@code other} (for the same devices and window) has found. */
  public void adopt(EvidenceAccumulator other) {
    System.arraycopy(other.windowStart, 0, windowStart, 0, windowStart.length);
    System.arraycopy(other.arrivedCentral, 0, arrivedCentral, 0, arrivedCentral.length);
    System.arraycopy(other.onlineMillis, 0, onlineMillis, 0, onlineMillis.length);
    System.arraycopy(other.valueChanges, 0, valueChanges, 0, valueChanges.length);
    System.arraycopy(other.maxSkew, 0, maxSkew, 0, maxSkew.length);
  }

  /**
   * Folds in the pass-1 results of another accumulator over other rows of the same devices (for
   * reading one file in chunks on several threads): earliest window start, any central arrival.
   */
  public void mergeFirstPass(EvidenceAccumulator other) {
    for (int i = 0; i < windowStart.length; i++) {
      windowStart[i] = Math.min(windowStart[i], other.windowStart[i]);
      arrivedCentral[i] |= other.arrivedCentral[i];
    }
  }

  /** Takes the window starts that {@code other} found in pass 1, before this one's pass 2. */
  public void adoptWindows(EvidenceAccumulator other) {
    System.arraycopy(other.windowStart, 0, windowStart, 0, windowStart.length);
    System.arraycopy(other.arrivedCentral, 0, arrivedCentral, 0, arrivedCentral.length);
  }

  /** Folds in the pass-2 sums of another accumulator over other rows (same windows). */
  public void mergeSecondPass(EvidenceAccumulator other) {
    for (int i = 0; i < windowStart.length; i++) {
      onlineMillis[i] = Math.addExact(onlineMillis[i], other.onlineMillis[i]);
      valueChanges[i] = Math.addExact(valueChanges[i], other.valueChanges[i]);
      maxSkew[i] = Math.max(maxSkew[i], other.maxSkew[i]);
    }
  }

  /** The summary of device {@code device}; online time never exceeds the window. */
  public EvidenceSummary summary(int device) {
    long start = windowStart[device];
    if (start == NONE) {
      return EvidenceSummary.NONE;
    }
    return new EvidenceSummary(
        Instant.ofEpochMilli(start),
        Instant.ofEpochMilli(start + windowMillis),
        Math.min(onlineMillis[device], windowMillis),
        valueChanges[device],
        maxSkew[device],
        arrivedCentral[device]);
  }

  /** A new, empty accumulator for the same devices and window. */
  public EvidenceAccumulator emptyCopy() {
    return new EvidenceAccumulator(windowStart.length, window);
  }

  /** Both passes over one device's rows, held in memory: for callers without streaming needs. */
  public static EvidenceSummary summarize(Iterable<EvidenceRow> rows, Duration window) {
    EvidenceAccumulator acc = new EvidenceAccumulator(1, window);
    rows.forEach(r -> acc.firstPass(0, r));
    rows.forEach(r -> acc.secondPass(0, r));
    return acc.summary(0);
  }

  private static long mulDiv(long a, long b, long c) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if ((high == 0 && low >= 0)) {
      return low / c;
    }
    return BigInteger.valueOf(a)
        .multiply(BigInteger.valueOf(b))
        .divide(BigInteger.valueOf(c))
        .longValueExact();
  }
}
