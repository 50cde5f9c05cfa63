package dev.onboard.simulator.opcua;

import java.time.Duration;
import java.util.Objects;

/**
 * One simulated device on a simulated OPC UA server. Immutable.
 *
 * @param name the device object's browse name and string NodeId, e.g. {@code CNC-01}
 * @param kind which signals it has
 * @param manufacturer DI nameplate Manufacturer
 * @param serialNumber DI nameplate SerialNumber (two devices may share one, to play a duplicate)
 * @param model DI nameplate Model
 * @param updateInterval how often the device's signals get a new value
 * @param extraSignals additional {@code Aux01..AuxNN} signals on top of the kind's, for load tests
 */
public record OpcUaDeviceSpec(
    String name,
    OpcUaDeviceKind kind,
    String manufacturer,
    String serialNumber,
    String model,
    Duration updateInterval,
    int extraSignals) {

  public OpcUaDeviceSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(manufacturer, "manufacturer");
    Objects.requireNonNull(serialNumber, "serialNumber");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(updateInterval, "updateInterval");
    if (name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException("device name must be non-blank without '/': " + name);
    }
    if (updateInterval.toMillis() < 10) {
      throw new IllegalArgumentException("update interval below 10 ms: " + updateInterval);
    }
    if (extraSignals < 0 || extraSignals > 99) {
      throw new IllegalArgumentException("extraSignals must be 0..99: " + extraSignals);
    }
  }

  /** A device with only its kind's signals. */
  public OpcUaDeviceSpec(
      String name,
      OpcUaDeviceKind kind,
      String manufacturer,
      String serialNumber,
      String model,
      Duration updateInterval) {
    this(name, kind, manufacturer, serialNumber, model, updateInterval, 0);
  }

  /** A device with a made-up nameplate derived from its name, updating every second. */
  public static OpcUaDeviceSpec of(String name, OpcUaDeviceKind kind) {
    return new OpcUaDeviceSpec(
        name,
        kind,
        "Onboard Sim Works",
        "SN-" + name,
        kind.name() + "-2000",
        Duration.ofSeconds(1));
  }

  /** A copy with another update interval. */
  public OpcUaDeviceSpec withUpdateInterval(Duration interval) {
    return new OpcUaDeviceSpec(
        name, kind, manufacturer, serialNumber, model, interval, extraSignals);
  }

  /** A copy with {@code count} extra signals. */
  public OpcUaDeviceSpec withExtraSignals(int count) {
    return new OpcUaDeviceSpec(
        name, kind, manufacturer, serialNumber, model, updateInterval, count);
  }

  /** The DI ProductInstanceUri: globally unique for manufacturer, model and serial. */
  public String productInstanceUri() {
    return productInstanceUri(manufacturer, model, serialNumber);
  }

  /** The DI ProductInstanceUri of a manufacturer's model with a serial number. */
  static String productInstanceUri(String manufacturer, String model, String serialNumber) {
    return "urn:onboard:device:"
        + manufacturer.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(java.util.Locale.ROOT)
        + ":"
        + model
        + ":"
        + serialNumber;
  }
}
