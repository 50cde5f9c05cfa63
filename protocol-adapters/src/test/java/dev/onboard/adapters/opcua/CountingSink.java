package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.spi.SourceStatus;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts readings instead of keeping them, for load: Good readings in total and per device, and
 * readings that repeat or go back in source time on their tag (a duplicate delivery). Thread-safe.
 */
final class CountingSink implements EventSink {

  private final AtomicLong good = new AtomicLong();
  private final AtomicLong other = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final Map<String, AtomicLong> perDevice = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastSource = new ConcurrentHashMap<>();
  private volatile SourceStatus status;

  @Override
  public void reading(Reading r) {
    Instant before = lastSource.put(r.deviceId() + "/" + r.tag(), r.sourceTime());
    if (before != null && !r.sourceTime().isAfter(before)) {
      duplicates.incrementAndGet();
    }
    if (r.quality() == Quality.GOOD) {
      good.incrementAndGet();
      perDevice.computeIfAbsent(r.deviceId(), k -> new AtomicLong()).incrementAndGet();
    } else {
      other.incrementAndGet();
    }
  }

  @Override
  public void event(DeviceEvent event) {}

  @Override
  public void sourceStatus(SourceStatus s) {
    status = s;
  }

  SourceStatus status() {
    return status;
  }

  long good() {
    return good.get();
  }

  /** Readings of any quality. */
  long all() {
    return good.get() + other.get();
  }

  long duplicates() {
    return duplicates.get();
  }

  long good(String deviceId) {
    AtomicLong n = perDevice.get(deviceId);
    return n == null ? 0 : n.get();
  }

  /** Good readings per device, copied now. */
  Map<String, Long> perDevice() {
    Map<String, Long> out = new ConcurrentHashMap<>();
    perDevice.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
