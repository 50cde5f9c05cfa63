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
 * <p>Not thread-safe: one accumulator per run, fed from one thread.
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
    long start = windowStart[device];
    if (start == NONE) {
      return;
    }
    long end = start + windowMillis;
    long rowStart = row.periodStart().toEpochMilli();
    long rowEnd = row.periodEnd().toEpochMilli();
    long overlap = Math.min(end, rowEnd) - Math.max(start, rowStart);
    if (overlap <= 0) {
      return;
    }
    long rowOnline = Math.multiplyExact(row.onlineSeconds(), 1000L);
    long inside =
        overlap == row.lengthMillis() ? rowOnline : mulDiv(rowOnline, overlap, rowEnd - rowStart);
    onlineMillis[device] = Math.addExact(onlineMillis[device], Math.min(inside, overlap));
    valueChanges[device] = Math.addExact(valueChanges[device], row.valueChanges());
    maxSkew[device] = Math.max(maxSkew[device], row.maxClockSkewMillis());
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
