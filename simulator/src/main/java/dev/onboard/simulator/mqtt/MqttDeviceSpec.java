package dev.onboard.simulator.mqtt;

import java.time.Duration;
import java.util.Objects;

/**
 * One simulated JSON device. Immutable.
 *
 * @param enterprise the enterprise id in its topics, e.g. {@code E001}
 * @param name the device name in its topics and the MQTT client id's suffix, e.g. {@code press-01}
 * @param serial the serial number it reports in every payload, e.g. {@code SN-P01-0001}
 * @param interval time between two telemetry messages
 * @param kind which signals it publishes
 */
public record MqttDeviceSpec(
    String enterprise, String name, String serial, Duration interval, DeviceKind kind) {

  public MqttDeviceSpec {
    Objects.requireNonNull(enterprise, "enterprise");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(kind, "kind");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
  }

  /** {@code factory/{enterprise}/{name}/telemetry}. */
  public String telemetryTopic() {
    return "factory/" + enterprise + "/" + name + "/telemetry";
  }

  /** {@code factory/{enterprise}/{name}/status}: retained {@code online} / {@code offline}. */
  public String statusTopic() {
    return "factory/" + enterprise + "/" + name + "/status";
  }

  /** The MQTT client id the device connects with. */
  public String clientId() {
    return "sim-" + enterprise + "-" + name;
  }
}
