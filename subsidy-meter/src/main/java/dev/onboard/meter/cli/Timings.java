package dev.onboard.meter.cli;

import java.io.PrintStream;

/**
 * Wall time of each step of a run, printed to stderr when the system property {@code
 * onboard.meter.timings} is {@code true} (used by BENCHMARKS.md). Not thread-safe.
 */
final class Timings {
  private final PrintStream err;
  private final boolean on;
  private long last = System.nanoTime();

  Timings(PrintStream err) {
    this.err = err;
    this.on = Boolean.getBoolean("onboard.meter.timings");
  }

  void lap(String step) {
    long now = System.nanoTime();
    if (on) {
      Runtime rt = Runtime.getRuntime();
      err.printf(
          "timing: %-28s %7d ms  heap used %5d MiB%n",
          step, (now - last) / 1_000_000, (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
    last = now;
  }
}
