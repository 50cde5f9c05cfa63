package dev.onboard.adapters.mqtt.sparkplug;

import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.DeviceSpec;
import dev.onboard.gateway.spi.Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which inventory device a Sparkplug message is about. A device's address is {@code {group: G,
 * edgeNode: E, device: D}}; without {@code device} it is the edge node itself (its NBIRTH, NDATA
 * and NDEATH). Immutable and thread-safe.
 */
public final class SparkplugDirectory {

  /** The address keys; an address with {@code edgeNode} is a Sparkplug address. */
  public static final Set<String> ADDRESS_KEYS = Set.of("group", "edgeNode", "device");

  private final Map<String, String> byPath = new HashMap<>();
  private final Map<String, List<String>> byNode = new LinkedHashMap<>();
  private final Set<String> groups = new TreeSet<>();

  private SparkplugDirectory() {}

  /** True if this device address is a Sparkplug one. */
  public static boolean isSparkplug(DeviceSpec device) {
    return device.address().has("edgeNode");
  }

  /** Validates the addresses of the Sparkplug devices (those with {@code edgeNode}). */
  public static SparkplugDirectory build(List<DeviceSpec> devices) throws ConfigException {
    SparkplugDirectory d = new SparkplugDirectory();
    for (DeviceSpec device : devices) {
      Settings a = device.address();
      a.rejectUnknownKeys(ADDRESS_KEYS);
      String group = id(a, "group", true);
      String node = id(a, "edgeNode", true);
      String name = id(a, "device", false);
      String path = path(group, node, name);
      String previous = d.byPath.putIfAbsent(path, device.id());
      if (previous != null) {
        throw a.error(
            name == null ? "edgeNode" : "device",
            "devices " + previous + " and " + device.id() + " have the same Sparkplug address",
            "give each device its own group/edgeNode/device");
      }
      d.byNode.computeIfAbsent(path(group, node, null), k -> new ArrayList<>()).add(device.id());
      d.groups.add(group);
    }
    return d;
  }

  private static String id(Settings a, String key, boolean required) throws ConfigException {
    String v = required ? a.string(key) : a.optionalString(key).orElse(null);
    if (v != null && !SparkplugSettings.validId(v)) {
      throw a.error(key, "'" + v + "' may not contain /, + or #", "write the Sparkplug id as is");
    }
    return v;
  }

  /** The inventory device at this address ({@code device} null for the edge node), or null. */
  public String find(String group, String edgeNode, String device) {
    return byPath.get(path(group, edgeNode, device));
  }

  /** Every inventory device under this edge node, the node's own included. */
  public List<String> devicesOf(String group, String edgeNode) {
    return byNode.getOrDefault(path(group, edgeNode, null), List.of());
  }

  /** The Sparkplug groups the inventory names, sorted. */
  public Set<String> groups() {
    return groups;
  }

  public boolean isEmpty() {
    return byPath.isEmpty();
  }

  static String path(String group, String edgeNode, String device) {
    return device == null ? group + "/" + edgeNode : group + "/" + edgeNode + "/" + device;
  }
}
