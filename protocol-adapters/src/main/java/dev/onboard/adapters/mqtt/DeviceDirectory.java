package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.DeviceSpec;
import dev.onboard.gateway.spi.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the inventory device of a message from its topic's placeholder values: {@code {device}}
 * always, {@code {enterprise}} too when the device's address names one. Immutable and thread-safe.
 */
final class DeviceDirectory {

  private final Map<String, String> byDeviceAndEnterprise = new HashMap<>();
  private final Map<String, String> byDeviceOnly = new HashMap<>();
  private final List<String> ids;

  private DeviceDirectory(List<String> ids) {
    this.ids = List.copyOf(ids);
  }

  /** Validates each device's {@code address} against the topic pattern. */
  static DeviceDirectory build(List<DeviceSpec> devices, TopicPattern topic)
      throws ConfigException {
    DeviceDirectory d = new DeviceDirectory(devices.stream().map(DeviceSpec::id).toList());
    boolean patternHasEnterprise = topic.placeholders().contains("enterprise");
    for (DeviceSpec device : devices) {
      Settings address = device.address();
      address.rejectUnknownKeys(Set.of("device", "enterprise"));
      String name = address.string("device");
      if (address.has("enterprise")) {
        if (!patternHasEnterprise) {
          throw address.error(
              "enterprise",
              "the topic pattern '" + topic + "' has no {enterprise} placeholder",
              "remove enterprise from the address, or add {enterprise} to json.topic");
        }
        String key = name + "\u0000" + address.string("enterprise");
        claim(d.byDeviceAndEnterprise, key, device, address);
      } else {
        claim(d.byDeviceOnly, name, device, address);
      }
    }
    return d;
  }

  private static void claim(
      Map<String, String> map, String key, DeviceSpec device, Settings address)
      throws ConfigException {
    String previous = map.putIfAbsent(key, device.id());
    if (previous != null) {
      throw address.error(
          "device",
          "devices " + previous + " and " + device.id() + " have the same MQTT address",
          "give each device its own {device} value (or add enterprise: to tell them apart)");
    }
  }

  /** The inventory device id for these placeholder values, or null if none. */
  String find(Map<String, String> placeholders) {
    String name = placeholders.get("device");
    if (name == null) {
      return null;
    }
    String enterprise = placeholders.get("enterprise");
    if (enterprise != null) {
      String id = byDeviceAndEnterprise.get(name + "\u0000" + enterprise);
      if (id != null) {
        return id;
      }
    }
    return byDeviceOnly.get(name);
  }

  List<String> ids() {
    return ids;
  }
}
