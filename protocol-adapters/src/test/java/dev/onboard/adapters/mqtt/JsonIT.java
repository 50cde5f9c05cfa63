package dev.onboard.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onboard.gateway.config.LivenessTimeouts;
import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.spi.SourceStatus;
import dev.onboard.simulator.mqtt.DeviceKind;
import dev.onboard.simulator.mqtt.MqttDeviceSpec;
import dev.onboard.simulator.mqtt.SimulatedMqttDevice;
import dev.onboard.simulator.mqtt.SimulatedMqttFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JSON devices end to end: simulated devices → a real broker → the adapter → the gateway's liveness
 * tracker. Every scenario runs over MQTT 5 against Debian's Mosquitto and over MQTT 3.1.1 against
 * the embedded broker. Waits are bounded; nothing sleeps.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"mosquitto", "embedded"})
class JsonIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final List<MqttDeviceSpec> SPECS =
      SimulatedMqttFleet.specs("E001", "press", 3, Duration.ofMillis(200), DeviceKind.PRESS);

  @Parameter String brokerKind;

  @TempDir Path dataDir;

  private TestBroker broker;
  private SimulatedMqttFleet fleet;
  private MqttAdapter adapter;
  private LiveSink sink;

  @BeforeEach
  void startBroker() throws Exception {
    broker = brokerKind.equals("mosquitto") ? TestBroker.mosquitto() : TestBroker.embedded();
    broker.start();
  }

  @AfterEach
  void stopEverything() {
    try {
      if (adapter != null) {
        adapter.close();
      }
      if (fleet != null) {
        fleet.close();
      }
    } finally {
      broker.close();
    }
  }

  @Test
  void devices_go_offline_at_once_by_will_or_goodbye_and_by_silence_after_their_timeout() {
    startFleet();
    start(Map.of(), "onboard-json");
    awaitOnline("press-01", "press-02", "press-03");

    fleet.killDevice("press-01"); // the broker publishes its Will: offline
    fleet.stopDevice("press-02"); // it says offline itself, then DISCONNECT
    fleet.device("press-03").disconnectQuietly(); // no word at all

    await()
        .atMost(PATIENCE)
        .until(
            () -> states("press-01", "press-02", "press-03").equals(Set.of(DeviceState.OFFLINE)));
    assertThat(sink.view(id("press-01")).cause()).contains("status offline");
    assertThat(sink.view(id("press-02")).cause()).contains("status offline");
    assertThat(sink.view(id("press-03")).cause()).contains("no Good data");

    fleet.startDevice("press-01");
    awaitOnline("press-01");
  }

  @Test
  void a_persistent_session_delivers_the_qos1_messages_published_while_the_gateway_was_away()
      throws Exception {
    start(Map.of("cleanStart", false, "qos", 1), "onboard-persistent");
    await().atMost(PATIENCE).until(() -> adapter.status().state() == SourceStatus.State.CONNECTED);
    adapter.close(); // a clean DISCONNECT: the broker keeps the session and queues for it
    adapter = null;

    long t0 = System.currentTimeMillis();
    MqttClient publisher =
        new MqttClient(broker.url(), "it-publisher-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    // Paho may complete a publish before it counts it out of flight: room for all 50 at once.
    o.setMaxInflight(100);
    publisher.connect(o);
    for (int i = 0; i < 50; i++) {
      String json = "{\"ts\":" + (t0 + i) + ",\"values\":{\"count\":" + i + "}}";
      publisher.publish(
          "factory/E001/press-01/telemetry", json.getBytes(StandardCharsets.UTF_8), 1, false);
    }
    publisher.disconnect();
    publisher.close();

    start(Map.of("cleanStart", false, "qos", 1), "onboard-persistent");

    await().atMost(PATIENCE).until(() -> counts().size() == 50);
    assertThat(counts())
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.LongStream.range(0, 50).boxed().toList());
  }

  @Test
  void every_malformed_payload_is_counted_dead_lettered_flagged_and_data_keeps_flowing()
      throws Exception {
    startFleet();
    start(Map.of("maxPayloadBytes", 1024), "onboard-json");
    awaitOnline("press-01");
    SimulatedMqttDevice d = fleet.device("press-01");
    await().atMost(PATIENCE).until(() -> sink.recorded.goodReadingCount(id("press-01")) > 10);

    d.publishRaw(bytes("this is not JSON"));
    d.publishRaw(bytes("[1, 2, 3]"));
    d.publishRaw(bytes("{\"ts\": " + System.currentTimeMillis() + "}"));
    d.publishRaw(bytes("{\"ts\": \"yesterday\", \"values\": {\"a\": 1}}"));
    d.publishRaw(bytes("{\"ts\": 1, \"values\": " + "{\"a\": 1,".repeat(200) + "}"));
    d.replayOldest();

    Map<String, Long> expected = new LinkedHashMap<>();
    for (String reason :
        List.of(
            "NOT_JSON", "NOT_AN_OBJECT", "MISSING_FIELD", "WRONG_TYPE", "OVERSIZE", "REPLAYED")) {
      expected.put(reason, 1L);
    }
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                adapter.malformedCounts().getOrDefault(id("press-01"), Map.of()).equals(expected));
    ObjectMapper json = new ObjectMapper();
    assertThat(Files.readAllLines(adapter.deadLetterFile()))
        .extracting(l -> json.readTree(l).get("reason").asText())
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(flags(DeviceEvent.Flag.MALFORMED_PAYLOAD)).contains(id("press-01"));
    assertThat(flags(DeviceEvent.Flag.REPLAYED_SEQUENCE)).containsExactly(id("press-01"));
    assertThat(sink.view(id("press-01")).flags()).anyMatch(f -> f.startsWith("MALFORMED_PAYLOAD"));

    assertThat(adapter.status().state()).isEqualTo(SourceStatus.State.CONNECTED);
    long after = sink.recorded.goodReadingCount(id("press-01"));
    await()
        .atMost(PATIENCE)
        .until(() -> sink.recorded.goodReadingCount(id("press-01")) > after + 5);
    assertThat(sink.state(id("press-01"))).isEqualTo(DeviceState.ONLINE);
  }

  @Test
  void a_device_with_a_skewed_clock_is_flagged_and_the_others_are_not() {
    startFleet();
    start(Map.of(), "onboard-json");
    awaitOnline("press-01", "press-02");

    fleet.device("press-01").skew(Duration.ofSeconds(30));

    await()
        .atMost(PATIENCE)
        .until(() -> flags(DeviceEvent.Flag.CLOCK_SKEW).contains(id("press-01")));
    assertThat(flags(DeviceEvent.Flag.CLOCK_SKEW)).containsExactly(id("press-01"));
  }

  // ---- helpers

  private void startFleet() {
    fleet = new SimulatedMqttFleet(broker.url(), SPECS, 5);
    fleet.start();
  }

  private void start(Map<String, Object> extra, String clientId) {
    Map<String, Object> settings =
        new LinkedHashMap<>(MqttSources.jsonSettings(broker.url(), broker.version()));
    settings.put("clientId", clientId);
    settings.putAll(extra);
    List<String> names = SPECS.stream().map(MqttDeviceSpec::name).toList();
    if (sink == null) {
      sink =
          new LiveSink(
              names.stream().map(MqttSources::deviceId).toList(),
              new LivenessTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)));
    }
    adapter =
        MqttSources.startAdapter(
            MqttSources.source("plant-mqtt", settings, names), sink, dataDir, "it-json");
  }

  private void awaitOnline(String... names) {
    await().atMost(PATIENCE).until(() -> states(names).equals(Set.of(DeviceState.ONLINE)));
  }

  private Set<DeviceState> states(String... names) {
    return List.of(names).stream().map(n -> sink.state(id(n))).collect(Collectors.toSet());
  }

  /** The distinct values of press-01's {@code count} that arrived. */
  private Set<Long> counts() {
    return sink.recorded.readings().stream()
        .filter(r -> r.deviceId().equals(id("press-01")) && r.tag().equals("count"))
        .map(Reading::value)
        .map(v -> (Long) v)
        .collect(Collectors.toSet());
  }

  private List<String> flags(DeviceEvent.Flag flag) {
    return sink.recorded.events(DeviceEvent.Flagged.class).stream()
        .filter(f -> f.flag() == flag)
        .map(DeviceEvent::deviceId)
        .distinct()
        .toList();
  }

  private static String id(String name) {
    return MqttSources.deviceId(name);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
