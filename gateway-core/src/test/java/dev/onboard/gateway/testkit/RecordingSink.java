package dev.onboard.gateway.testkit;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.spi.SourceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/** An {@link EventSink} that keeps everything it is given, for assertions. Thread-safe. */
public final class RecordingSink implements EventSink {

  private final ConcurrentLinkedQueue<Reading> readings = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<DeviceEvent> events = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<SourceStatus> statuses = new ConcurrentLinkedQueue<>();

  @Override
  public void reading(Reading reading) {
    readings.add(reading);
  }

  @Override
  public void event(DeviceEvent event) {
    events.add(event);
  }

  @Override
  public void sourceStatus(SourceStatus status) {
    statuses.add(status);
  }

  public List<Reading> readings() {
    return new ArrayList<>(readings);
  }

  public List<DeviceEvent> events() {
    return new ArrayList<>(events);
  }

  public <T extends DeviceEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public List<SourceStatus> statuses() {
    return new ArrayList<>(statuses);
  }

  /** The devices that delivered at least one Good, live reading. */
  public Set<String> devicesWithGoodReadings() {
    return readings.stream()
        .filter(r -> r.quality() == Quality.GOOD && !r.historical())
        .map(Reading::deviceId)
        .collect(Collectors.toSet());
  }

  /** Good live readings of one device received so far. */
  public long goodReadingCount(String deviceId) {
    return readings.stream()
        .filter(
            r -> r.deviceId().equals(deviceId) && r.quality() == Quality.GOOD && !r.historical())
        .count();
  }

  public void clear() {
    readings.clear();
    events.clear();
    statuses.clear();
  }
}
