package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.config.LivenessTimeouts;
import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.liveness.DeviceView;
import dev.onboard.gateway.liveness.LivenessTracker;
import dev.onboard.gateway.liveness.TrackedDevice;
import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.spi.SourceStatus;
import dev.onboard.gateway.testkit.RecordingSink;
import java.time.Clock;
import java.util.Collection;
import java.util.List;

/**
 * Records everything like {@link RecordingSink} and also feeds the gateway's real {@link
 * LivenessTracker}, so a test can ask what state the gateway would show for a device. Thread-safe.
 */
final class LiveSink implements EventSink {

  final RecordingSink recorded = new RecordingSink();
  private final LivenessTracker tracker;

  LiveSink(Collection<String> deviceIds, LivenessTimeouts timeouts) {
    List<TrackedDevice> inventory =
        deviceIds.stream()
            .map(
                id ->
                    new TrackedDevice(
                        id, "E001", "plant-mqtt", "mqtt", timeouts, java.util.Map.of()))
            .toList();
    this.tracker = new LivenessTracker(Clock.systemUTC(), inventory, change -> {});
  }

  @Override
  public void reading(Reading reading) {
    recorded.reading(reading);
    tracker.reading(reading);
  }

  @Override
  public void event(DeviceEvent event) {
    recorded.event(event);
    tracker.event(event);
  }

  @Override
  public void sourceStatus(SourceStatus status) {
    recorded.sourceStatus(status);
  }

  /** The device's state now, after applying the silence timeouts. */
  DeviceState state(String deviceId) {
    tracker.sweep();
    return view(deviceId).state();
  }

  DeviceView view(String deviceId) {
    return tracker.device(deviceId).orElseThrow();
  }
}
