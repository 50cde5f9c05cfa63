package dev.onboard.gateway.spi;

import java.time.Instant;

/**
 * The time between two instants as adapters judge clock skew: nanoseconds in a {@code long}, so a
 * check on every sample allocates nothing (a {@code Duration} per sample was 8 % of the gateway's
 * CPU at 100,000 samples/s). Held at ±100 years: a source time from another century (a device with
 * a dead clock battery) is far off either way, and sums and negations of the result cannot
 * overflow. Stateless and thread-safe.
 */
public final class Skew {

  /** The largest magnitude {@link #nanosBetween} returns: 100 years of 366 days, in nanoseconds. */
  public static final long LIMIT_NANOS = 100L * 366 * 24 * 3600 * 1_000_000_000L;

  private static final long LIMIT_SECONDS = LIMIT_NANOS / 1_000_000_000L;

  private Skew() {}

  /** {@code to - from} in nanoseconds, held within ±{@link #LIMIT_NANOS}. */
  public static long nanosBetween(Instant from, Instant to) {
    long seconds = to.getEpochSecond() - from.getEpochSecond();
    if (Math.abs(seconds) >= LIMIT_SECONDS) {
      return Long.signum(seconds) * LIMIT_NANOS;
    }
    return seconds * 1_000_000_000L + (to.getNano() - from.getNano());
  }
}
