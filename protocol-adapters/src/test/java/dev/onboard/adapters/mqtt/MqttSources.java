package dev.onboard.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.DeviceIdentity;
import dev.onboard.gateway.spi.DeviceSpec;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Settings;
import dev.onboard.gateway.spi.SourceSpec;
import dev.onboard.gateway.testkit.RecordingSink;
import dev.onboard.simulator.mqtt.MqttDeviceSpec;
import dev.onboard.simulator.mqtt.sparkplug.EdgeNodeSpec;
import dev.onboard.simulator.mqtt.sparkplug.SparkplugDeviceSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

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

  /**
   * Builds the real adapter for {@code source} with the system clock, its threads named {@code
   * threadPrefix-N}, and starts it.
   */
  static MqttAdapter startAdapter(
      SourceSpec source, EventSink sink, Path dataDir, String threadPrefix) {
    AtomicInteger threads = new AtomicInteger();
    MqttAdapter adapter;
    try {
      adapter =
          (MqttAdapter)
              new MqttAdapterProvider()
                  .create(
                      source,
                      new AdapterContext(
                          sink,
                          Clock.systemUTC(),
                          dataDir,
                          r -> {
                            Thread t =
                                new Thread(r, threadPrefix + "-" + threads.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                          }));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    adapter.start();
    return adapter;
  }

  static String deviceId(String name) {
    return "dev-" + name;
  }

  /**
   * Waits until every simulated device has been identified, then checks that each one's identity
   * carries the serial number its payloads publish, under the inventory device it maps to.
   */
  static void assertEachDeviceReportsItsSerial(
      RecordingSink sink, List<MqttDeviceSpec> specs, Duration patience) {
    Map<String, String> expected = new LinkedHashMap<>();
    specs.forEach(s -> expected.put(deviceId(s.name()), s.serial()));
    await()
        .atMost(patience)
        .until(
            () ->
                sink.events(DeviceEvent.IdentityObserved.class).stream()
                    .map(DeviceEvent::deviceId)
                    .toList()
                    .containsAll(expected.keySet()));
    Map<String, String> seen = new LinkedHashMap<>();
    sink.events(DeviceEvent.IdentityObserved.class)
        .forEach(e -> seen.put(e.deviceId(), e.identity().get(DeviceIdentity.SERIAL_NUMBER)));
    assertThat(seen).containsAllEntriesOf(expected);
  }

  /** Broker settings without any device mapping. */
  static Map<String, Object> brokerSettings(String brokerUrl, String version) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("broker", brokerUrl);
    s.put("version", version);
    s.put("keepAlive", "5s");
    return s;
  }

  /**
   * A source serving every edge node of {@code nodes} (inventory id {@code node-<edge node>}) and
   * every device under them (id {@code sp-<device>}).
   */
  static SourceSpec sparkplugSource(
      String id, Map<String, Object> settings, List<EdgeNodeSpec> nodes) {
    List<DeviceSpec> devices = new ArrayList<>();
    for (EdgeNodeSpec n : nodes) {
      devices.add(
          new DeviceSpec(
              nodeId(n.edgeNode()),
              "E001",
              new Settings(
                  FILE,
                  "devices[" + devices.size() + "].address",
                  Map.of("group", n.group(), "edgeNode", n.edgeNode()),
                  System::getenv)));
      for (SparkplugDeviceSpec d : n.devices()) {
        devices.add(
            new DeviceSpec(
                spDeviceId(d.name()),
                "E001",
                new Settings(
                    FILE,
                    "devices[" + devices.size() + "].address",
                    Map.of("group", n.group(), "edgeNode", n.edgeNode(), "device", d.name()),
                    System::getenv)));
      }
    }
    return new SourceSpec(
        id, "mqtt", new Settings(FILE, "sources[0]", settings, System::getenv), devices);
  }

  /** Every inventory id {@link #sparkplugSource} gives. */
  static List<String> sparkplugIds(List<EdgeNodeSpec> nodes) {
    List<String> ids = new ArrayList<>();
    for (EdgeNodeSpec n : nodes) {
      ids.add(nodeId(n.edgeNode()));
      n.devices().forEach(d -> ids.add(spDeviceId(d.name())));
    }
    return ids;
  }

  static String nodeId(String edgeNode) {
    return "node-" + edgeNode;
  }

  static String spDeviceId(String device) {
    return "sp-" + device;
  }
}
