package dev.onboard.simulator.mqtt.sparkplug;

import dev.onboard.simulator.mqtt.DeviceKind;
import java.util.Objects;

/**
 * One device behind a simulated edge node. Immutable.
 *
 * @param name its Sparkplug device id, e.g. {@code press-01}
 * @param serial the serial number in its DBIRTH ({@code Properties/Serial Number})
 * @param kind which signals it publishes
 */
public record SparkplugDeviceSpec(String name, String serial, DeviceKind kind) {

  public SparkplugDeviceSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(kind, "kind");
  }
}
