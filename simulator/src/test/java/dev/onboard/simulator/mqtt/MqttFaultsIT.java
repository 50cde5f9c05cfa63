package dev.onboard.simulator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onboard.simulator.FactorySpec;
import dev.onboard.simulator.SimulatedFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JSON device faults by name, as {@code simulate --fault 'mqtt ...'} applies them, seen by a plain
 * MQTT client on the factory's embedded broker.
 */
class MqttFaultsIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final ConcurrentLinkedQueue<Map.Entry<String, String>> seen =
      new ConcurrentLinkedQueue<>();
  private SimulatedFactory factory;
  private MqttClient watcher;

  @BeforeEach
  void startFactoryAndWatcher() throws Exception {
    List<MqttDeviceSpec> devices =
        SimulatedMqttFleet.specs("E009", "press", 2, Duration.ofMillis(100), DeviceKind.PRESS);
    factory = new SimulatedFactory(new FactorySpec(List.of(), 0, devices, 7)).start();
    watcher = new MqttClient(factory.mqttUrl(), "it-json-watcher", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    watcher.connect(o);
    watcher.subscribe(
        "factory/E009/#",
        1,
        (t, m) -> seen.add(Map.entry(t, new String(m.getPayload(), StandardCharsets.UTF_8))));
  }

  @AfterEach
  void stopEverything() throws Exception {
    try {
      watcher.disconnect();
      watcher.close();
    } finally {
      factory.close();
    }
  }

  @Test
  void malformed_payloads_a_killed_device_and_a_duplicated_serial_reach_the_broker() {
    await().atMost(PATIENCE).until(() -> saw("factory/E009/press-01/telemetry", "SN-press-01"));

    factory.inject("mqtt press-01 malformed not-json");
    factory.inject("mqtt press-01 malformed missing-field");
    factory.inject("mqtt press-01 same-serial-as press-02");
    factory.inject("mqtt press-02 kill");

    await().atMost(PATIENCE).until(() -> saw("factory/E009/press-01/telemetry", "not json at all"));
    await().atMost(PATIENCE).until(() -> saw("factory/E009/press-01/telemetry", "{\"values\":{}}"));
    await().atMost(PATIENCE).until(() -> saw("factory/E009/press-01/telemetry", "\"SN-press-02\""));
    // kill: no DISCONNECT, so the broker publishes the Will.
    await().atMost(PATIENCE).until(() -> saw("factory/E009/press-02/status", "offline"));
    assertThat(factory.mqtt().device("press-02").isRunning()).isFalse();
  }

  private boolean saw(String topic, String text) {
    return seen.stream().anyMatch(e -> e.getKey().equals(topic) && e.getValue().contains(text));
  }
}
