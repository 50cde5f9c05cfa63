package dev.onboard.meter.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;

/**
 * Wall time of each step of a run, and the CPU time of the whole process (all threads, GC included)
 * during that step, printed to stderr when the system property {@code onboard.meter.timings} is
 * {@code true} (used by BENCHMARKS.md: on a shared machine the CPU time is the steadier figure).
 * Not thread-safe.
 */
final class Timings {
  private final PrintStream err;
  private final boolean on;
  private long last = System.nanoTime();
  private long lastCpu;

  /** Starts timing; the first line is the time from the JVM's start to here. */
  Timings(PrintStream err) {
    this.err = err;
    this.on = Boolean.getBoolean("onboard.meter.timings");
    if (on) {
      last -= ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000;
      lap("JVM start, policy");
    }
  }

  void lap(String step) {
    long now = System.nanoTime();
    if (on) {
      long cpu = cpuNanos();
      Runtime rt = Runtime.getRuntime();
      err.printf(
          "timing: %-28s %7d ms  heap used %5d MiB  cpu %6d ms%n",
          step,
          (now - last) / 1_000_000,
          (rt.totalMemory() - rt.freeMemory()) >> 20,
          (cpu - lastCpu) / 1_000_000);
      lastCpu = cpu;
    }
    last = now;
  }

  /** CPU time of the process so far, or 0 where the JVM does not tell. */
  private static long cpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }
}
