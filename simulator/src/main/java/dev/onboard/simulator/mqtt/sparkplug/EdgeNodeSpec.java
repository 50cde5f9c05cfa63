package dev.onboard.simulator.mqtt.sparkplug;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One simulated Sparkplug B edge node. Immutable.
 *
 * @param group the Sparkplug group id
 * @param edgeNode the edge node id
 * @param serial the serial number in its NBIRTH
 * @param interval time between two DDATA messages of each device
 * @param devices its devices, any number (none: a node that only reports its own metrics)
 */
public record EdgeNodeSpec(
    String group,
    String edgeNode,
    String serial,
    Duration interval,
    List<SparkplugDeviceSpec> devices) {

  public EdgeNodeSpec {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(edgeNode, "edgeNode");
    Objects.requireNonNull(serial, "serial");
    devices = List.copyOf(devices);
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
  }

  /** The MQTT client id the node connects with. */
  public String clientId() {
    return "sim-sp-" + group + "-" + edgeNode;
  }

  /** {@code spBv1.0/<group>/<type>/<edge node>}. */
  public String nodeTopic(String type) {
    return "spBv1.0/" + group + "/" + type + "/" + edgeNode;
  }

  /** {@code spBv1.0/<group>/<type>/<edge node>/<device>}. */
  public String deviceTopic(String type, String device) {
    return nodeTopic(type) + "/" + device;
  }
}
