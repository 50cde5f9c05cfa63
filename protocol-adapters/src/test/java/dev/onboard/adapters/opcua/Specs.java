package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.DeviceSpec;
import dev.onboard.gateway.spi.Settings;
import dev.onboard.gateway.spi.SourceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Builds source specs as the gateway would from a YAML file, for tests. */
final class Specs {

  static final String FILE = "onboard.yaml";

  private final Map<String, Object> settings = new LinkedHashMap<>();
  private final List<Map<String, Object>> addresses = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();
  private Function<String, String> env = name -> null;

  static Specs endpoint(String url) {
    Specs s = new Specs();
    s.settings.put("endpoint", url);
    return s;
  }

  Specs set(String key, Object value) {
    settings.put(key, value);
    return this;
  }

  Specs env(Map<String, String> variables) {
    env = variables::get;
    return this;
  }

  Specs browse(String startNode) {
    settings.put("browse", Map.of("startNode", startNode, "variables", ".*"));
    return this;
  }

  Specs noSecurity() {
    settings.put("security", Map.of("policy", "none"));
    return this;
  }

  Specs fastSubscription() {
    settings.put(
        "subscription",
        Map.of("samplingInterval", "100ms", "publishingInterval", "100ms", "queueSize", 10));
    return this;
  }

  Specs device(String id, Map<String, Object> address) {
    ids.add(id);
    addresses.add(address);
    return this;
  }

  Specs browsed(String id, String browseName) {
    return device(id, Map.of("browseName", browseName));
  }

  SourceSpec build() {
    List<DeviceSpec> devices = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      devices.add(
          new DeviceSpec(
              ids.get(i),
              "enterprise-1",
              new Settings(FILE, "inventory[" + i + "].address", addresses.get(i), env)));
    }
    return new SourceSpec(
        "plant-opcua", "opcua", new Settings(FILE, "sources[0]", settings, env), devices);
  }
}
