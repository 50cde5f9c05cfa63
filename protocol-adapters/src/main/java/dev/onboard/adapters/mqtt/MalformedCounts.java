package dev.onboard.adapters.mqtt;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Refused messages counted per device and reason, e.g. {@code press-01 → NOT_JSON → 3}.
 * Thread-safe.
 */
final class MalformedCounts {

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> counts =
      new ConcurrentHashMap<>();

  void increment(String deviceId, String reason) {
    counts
        .computeIfAbsent(deviceId, d -> new ConcurrentHashMap<>())
        .computeIfAbsent(reason, r -> new LongAdder())
        .increment();
  }

  long count(String deviceId, String reason) {
    Map<String, LongAdder> byReason = counts.get(deviceId);
    LongAdder n = byReason == null ? null : byReason.get(reason);
    return n == null ? 0 : n.sum();
  }

  /** A sorted copy: device → reason → count. */
  Map<String, Map<String, Long>> snapshot() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    counts.forEach(
        (device, byReason) -> {
          Map<String, Long> m = new TreeMap<>();
          byReason.forEach((reason, n) -> m.put(reason, n.sum()));
          out.put(device, m);
        });
    return out;
  }
}
