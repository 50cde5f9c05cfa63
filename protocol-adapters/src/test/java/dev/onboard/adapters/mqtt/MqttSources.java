package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.DeviceSpec;
import dev.onboard.gateway.spi.Settings;
import dev.onboard.gateway.spi.SourceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds MQTT source specs for tests, as the gateway would from a YAML file. */
final class MqttSources {

  static final String FILE = "onboard.yaml";

  private MqttSources() {}

  /** The settings the simulator's JSON devices need, on {@code brokerUrl}. */
  static Map<String, Object> jsonSettings(String brokerUrl, String version) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("broker", brokerUrl);
    s.put("version", version);
    s.put("keepAlive", "5s");
    s.put(
        "json",
        Map.of(
            "topic", "factory/{enterprise}/{device}/telemetry",
            "statusTopic", "factory/{enterprise}/{device}/status",
            "timestamp", Map.of("field", "ts", "unit", "ms"),
            "values", "values",
            "serial", "serial"));
    return s;
  }

  /** A source whose inventory devices have ids {@code dev-<name>} and address {device: name}. */
  static SourceSpec source(String id, Map<String, Object> settings, List<String> deviceNames) {
    List<DeviceSpec> devices = new ArrayList<>();
    for (int i = 0; i < deviceNames.size(); i++) {
      devices.add(
          new DeviceSpec(
              deviceId(deviceNames.get(i)),
              "E001",
              new Settings(
                  FILE,
                  "devices[" + i + "].address",
                  Map.of("device", deviceNames.get(i)),
                  System::getenv)));
    }
    return new SourceSpec(
        id, "mqtt", new Settings(FILE, "sources[0]", settings, System::getenv), devices);
  }

  static String deviceId(String name) {
    return "dev-" + name;
  }
}
