package dev.onboard.adapters.mqtt;

import java.time.Duration;

/**
 * Exponential reconnect delays: {@code min}, doubling to {@code max}, back to {@code min} after a
 * success. Not thread-safe: the adapter's single control thread owns it.
 */
final class Backoff {

  private final Duration min;
  private final Duration max;
  private Duration next;

  Backoff(Duration min, Duration max) {
    this.min = min;
    this.max = max;
    this.next = min;
  }

  Duration next() {
    Duration d = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return d;
  }

  void reset() {
    next = min;
  }
}
