package dev.onboard.simulator.opcua;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A generated fleet of OPC UA servers, each with the same number of devices, for the command line
 * and benchmarks. Servers are {@code plant-1 … plant-N}; devices are named after their kind and a
 * number ({@code CNC-0001}, {@code IMM-0002}, …, kinds taken in turn), with serials unique across
 * the whole fleet ({@code CNC-01-00001}: kind, server, device). Immutable.
 *
 * @param servers how many servers, at least 1
 * @param devicesPerServer devices on each server, at least 0
 * @param tags signals per device: the kind's five plus {@code Aux01…} up to this number
 * @param interval how often every device updates every signal
 * @param kinds the kinds to take in turn, at least one
 * @param security the endpoints each server offers
 * @param users username → password each server accepts; empty means anonymous
 * @param firstPort the first server's port, the next ones counting up; 0 picks free ports
 */
public record OpcUaFleet(
    int servers,
    int devicesPerServer,
    int tags,
    Duration interval,
    List<OpcUaDeviceKind> kinds,
    Set<SimulatedOpcUaServerConfig.Security> security,
    Map<String, String> users,
    int firstPort) {

  /** Every kind has this many signals of its own. */
  public static final int KIND_SIGNALS = 5;

  public OpcUaFleet {
    Objects.requireNonNull(interval, "interval");
    kinds = List.copyOf(kinds);
    security = Set.copyOf(security);
    users = Map.copyOf(users);
    if (servers < 1) {
      throw new IllegalArgumentException("at least one server: " + servers);
    }
    if (devicesPerServer < 0) {
      throw new IllegalArgumentException("devices per server must be ≥ 0: " + devicesPerServer);
    }
    if (tags < KIND_SIGNALS || tags > KIND_SIGNALS + 99) {
      throw new IllegalArgumentException(
          "tags per device must be "
              + KIND_SIGNALS
              + ".."
              + (KIND_SIGNALS + 99)
              + " (each kind has "
              + KIND_SIGNALS
              + " signals of its own): "
              + tags);
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("at least one device kind");
    }
    if (firstPort < 0 || firstPort + servers - 1 > 65_535) {
      throw new IllegalArgumentException("ports out of range from " + firstPort);
    }
  }

  /** The servers' configurations, in order. */
  public List<SimulatedOpcUaServerConfig> configs() {
    List<SimulatedOpcUaServerConfig> out = new ArrayList<>(servers);
    for (int s = 1; s <= servers; s++) {
      List<OpcUaDeviceSpec> devices = new ArrayList<>(devicesPerServer);
      for (int d = 1; d <= devicesPerServer; d++) {
        OpcUaDeviceKind kind = kinds.get((d - 1) % kinds.size());
        devices.add(
            new OpcUaDeviceSpec(
                String.format("%s-%04d", kind.prefix(), d),
                kind,
                kind.manufacturer(),
                String.format("%s-%02d-%05d", kind.prefix(), s, d),
                kind.model(),
                interval,
                tags - KIND_SIGNALS));
      }
      out.add(
          SimulatedOpcUaServerConfig.of("plant-" + s, devices)
              .withPort(firstPort == 0 ? 0 : firstPort + s - 1)
              .withSecurity(security)
              .withUsers(users));
    }
    return out;
  }
}
