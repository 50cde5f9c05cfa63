/** The meter's benchmark harness: a generator of large fleets as CSV (BENCHMARKS.md › Meter). */
package dev.onboard.meter.bench;
