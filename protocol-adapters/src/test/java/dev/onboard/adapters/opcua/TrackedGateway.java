package dev.onboard.adapters.opcua;

import dev.onboard.gateway.config.LivenessTimeouts;
import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.liveness.DeviceView;
import dev.onboard.gateway.liveness.LivenessTracker;
import dev.onboard.gateway.liveness.StateChange;
import dev.onboard.gateway.liveness.TrackedDevice;
import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.spi.SourceStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The part of the gateway that judges devices — its {@link LivenessTracker}, with the identity
 * registry inside — fed by an adapter as the gateway's pipeline would feed it. Tests read device
 * states, causes and flags from it after a {@link #sweep()}.
 */
final class TrackedGateway implements EventSink {

  final LivenessTracker tracker;
  private final ConcurrentLinkedQueue<DeviceEvent> events = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<StateChange> changes = new ConcurrentLinkedQueue<>();
  private final Map<String, java.util.concurrent.atomic.AtomicLong> uncertain =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile SourceStatus status;

  /**
   * @param claimed per device id, what the inventory claims about it (may be empty)
   */
  TrackedGateway(
      List<String> deviceIds, LivenessTimeouts timeouts, Map<String, Map<String, String>> claimed) {
    List<TrackedDevice> inventory = new ArrayList<>();
    for (String id : deviceIds) {
      inventory.add(
          new TrackedDevice(
              id, "E001", "plant-opcua", "opcua", timeouts, claimed.getOrDefault(id, Map.of())));
    }
    tracker = new LivenessTracker(Clock.systemUTC(), inventory, changes::add);
  }

  @Override
  public void reading(Reading reading) {
    if (reading.quality() == dev.onboard.gateway.spi.Quality.UNCERTAIN) {
      uncertain
          .computeIfAbsent(reading.deviceId(), k -> new java.util.concurrent.atomic.AtomicLong())
          .incrementAndGet();
    }
    tracker.reading(reading);
  }

  /**
   * Readings of a device that arrived with UNCERTAIN quality (e.g. while the server is in TEST).
   */
  long uncertainReadings(String id) {
    java.util.concurrent.atomic.AtomicLong n = uncertain.get(id);
    return n == null ? 0 : n.get();
  }

  @Override
  public void event(DeviceEvent event) {
    events.add(event);
    tracker.event(event);
  }

  @Override
  public void sourceStatus(SourceStatus s) {
    status = s;
  }

  SourceStatus status() {
    return status;
  }

  List<DeviceEvent> events() {
    return List.copyOf(events);
  }

  /** The status changes the tracker recorded for a device, in order: states and flags. */
  List<StateChange> changes(String id) {
    return changes.stream().filter(c -> c.deviceId().equals(id)).toList();
  }

  /** Whether the tracker recorded {@code flag} being cleared on the device, as a status change. */
  boolean clearedRecorded(String id, String flag) {
    return changes(id).stream()
        .anyMatch(c -> c.from() == c.to() && c.cause().startsWith(flag + " cleared: "));
  }

  /** The device now, after applying silence timeouts. */
  DeviceView device(String id) {
    tracker.sweep();
    return tracker.device(id).orElseThrow();
  }

  DeviceState state(String id) {
    return device(id).state();
  }

  boolean flagged(String id, String flag) {
    return device(id).flags().stream().anyMatch(f -> f.startsWith(flag));
  }

  boolean allIn(DeviceState state, List<String> ids) {
    tracker.sweep();
    return ids.stream().allMatch(id -> tracker.device(id).orElseThrow().state() == state);
  }
}
