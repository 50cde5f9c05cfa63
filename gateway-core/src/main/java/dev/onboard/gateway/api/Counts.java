package dev.onboard.gateway.api;

import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.liveness.DeviceView;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Connected-device counts, grouped the ways a platform operator asks: by state, by enterprise and
 * state, by protocol and state. Every state appears in every group, zero included. Immutable.
 *
 * @param total inventory devices
 * @param byState devices per state
 * @param byEnterprise per enterprise id, devices per state
 * @param byProtocol per protocol, devices per state
 */
public record Counts(
    int total,
    Map<DeviceState, Long> byState,
    Map<String, Map<DeviceState, Long>> byEnterprise,
    Map<String, Map<DeviceState, Long>> byProtocol) {

  /** Counts a snapshot of devices. */
  public static Counts of(List<DeviceView> devices) {
    return new Counts(
        devices.size(),
        perState(devices),
        grouped(devices, DeviceView::enterpriseId),
        grouped(devices, DeviceView::protocol));
  }

  private static Map<String, Map<DeviceState, Long>> grouped(
      List<DeviceView> devices, Function<DeviceView, String> key) {
    Map<String, Map<DeviceState, Long>> out = new TreeMap<>();
    for (DeviceView d : devices) {
      out.computeIfAbsent(key.apply(d), k -> zeros()).merge(d.state(), 1L, Long::sum);
    }
    return out;
  }

  private static Map<DeviceState, Long> perState(List<DeviceView> devices) {
    Map<DeviceState, Long> out = zeros();
    devices.forEach(d -> out.merge(d.state(), 1L, Long::sum));
    return out;
  }

  private static Map<DeviceState, Long> zeros() {
    Map<DeviceState, Long> out = new EnumMap<>(DeviceState.class);
    for (DeviceState s : DeviceState.values()) {
      out.put(s, 0L);
    }
    return out;
  }
}
