package dev.onboard.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onboard.gateway.config.LivenessTimeouts;
import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.spi.SourceStatus;
import dev.onboard.simulator.mqtt.DeviceKind;
import dev.onboard.simulator.mqtt.sparkplug.EdgeNodeSpec;
import dev.onboard.simulator.mqtt.sparkplug.SimulatedEdgeNode;
import dev.onboard.simulator.mqtt.sparkplug.SparkplugFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sparkplug B end to end: simulated edge nodes → a real broker → the adapter → the gateway's
 * liveness tracker. Every scenario runs twice: over MQTT 5 against Debian's Mosquitto, started by
 * the test, and over MQTT 3.1.1 against the simulator's embedded broker (Moquette).
 *
 * <p>Two edge nodes with two devices each publish every 200 ms. Waits are bounded; nothing sleeps.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"mosquitto", "embedded"})
class SparkplugIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final List<EdgeNodeSpec> NODES =
      SparkplugFleet.specs("plant", "line", 2, 2, Duration.ofMillis(200), DeviceKind.PRESS);
  private static final String NODE_1 = "line-01";
  private static final String D11 = "line-01-d01";
  private static final String D12 = "line-01-d02";
  private static final String D21 = "line-02-d01";

  @Parameter String brokerKind;

  @TempDir Path dataDir;

  private TestBroker broker;
  private SparkplugFleet fleet;
  private MqttAdapter adapter;
  private LiveSink sink;

  @BeforeEach
  void startBrokerAndNodes() throws Exception {
    broker = brokerKind.equals("mosquitto") ? TestBroker.mosquitto() : TestBroker.embedded();
    broker.start();
    fleet = new SparkplugFleet(broker.url(), NODES, 11);
    fleet.start();
  }

  @AfterEach
  void stopEverything() {
    try {
      if (adapter != null) {
        adapter.close();
      }
      fleet.close();
    } finally {
      broker.close();
    }
  }

  @Test
  void births_data_and_identity_arrive_for_every_node_and_device() {
    start(Map.of());
    List<String> all = MqttSources.sparkplugIds(NODES);
    await()
        .atMost(PATIENCE)
        .until(() -> all.stream().allMatch(id -> sink.state(id) == DeviceState.ONLINE));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                sink.recorded
                    .devicesWithGoodReadings()
                    .containsAll(List.of(sp(D11), sp(D12), sp(D21))));

    assertThat(sink.recorded.events(DeviceEvent.Birth.class))
        .extracting(DeviceEvent::deviceId)
        .containsAll(all);
    assertThat(sink.view(sp(D11)).identity())
        .containsEntry("sparkplugGroup", "plant")
        .containsEntry("sparkplugEdgeNode", NODE_1)
        .containsEntry("sparkplugDevice", D11)
        .containsEntry("serialNumber", "SN-" + D11);
    assertThat(sink.view(MqttSources.nodeId(NODE_1)).identity())
        .containsEntry("serialNumber", "SN-" + NODE_1);
    assertThat(sink.recorded.readings())
        .filteredOn(r -> r.deviceId().equals(sp(D11)))
        .extracting(Reading::tag)
        .contains("temperature", "pressure", "force");
    assertThat(sink.recorded.readings())
        .filteredOn(r -> r.deviceId().equals(MqttSources.nodeId(NODE_1)))
        .extracting(Reading::tag)
        .contains("uptimeSeconds");
    assertThat(adapter.malformedCounts()).isEmpty();
  }

  @Test
  void a_killed_node_sends_its_will_and_it_and_all_its_devices_go_offline_at_once() {
    start(Map.of());
    awaitOnline(sp(D11), sp(D12), sp(D21));

    fleet.node(NODE_1).kill();

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                sink.state(MqttSources.nodeId(NODE_1)) == DeviceState.OFFLINE
                    && sink.state(sp(D11)) == DeviceState.OFFLINE
                    && sink.state(sp(D12)) == DeviceState.OFFLINE);
    assertThat(sink.view(sp(D11)).cause()).contains("NDEATH").contains("metrics STALE");
    assertThat(sink.state(sp(D21))).isEqualTo(DeviceState.ONLINE);
    assertThat(adapter.sparkplugCounters().deaths()).isEqualTo(1);
    // Their last values came again, STALE at the death time; never counted as live samples.
    Instant death = sink.recorded.events(DeviceEvent.Death.class).get(0).time();
    List<Reading> stale =
        sink.recorded.readings().stream().filter(r -> r.quality() == Quality.STALE).toList();
    assertThat(stale)
        .extracting(Reading::deviceId)
        .contains(sp(D11), sp(D12), MqttSources.nodeId(NODE_1))
        .doesNotContain(sp(D21));
    assertThat(stale)
        .filteredOn(r -> r.deviceId().equals(sp(D11)))
        .extracting(Reading::tag)
        .contains("temperature", "pressure", "force");
    assertThat(stale).extracting(Reading::sourceTime).containsOnly(death);
    assertThat(sink.view(sp(D11)).goodSamples()).isEqualTo(sink.recorded.goodReadingCount(sp(D11)));
    assertThat(adapter.sparkplugCounters().staleReadings()).isEqualTo(stale.size());
  }

  @Test
  void a_device_death_makes_only_that_device_offline_and_its_last_values_stale() {
    start(Map.of());
    awaitOnline(sp(D11), sp(D12));

    fleet.node(NODE_1).deviceDeath(D11);

    await().atMost(PATIENCE).until(() -> sink.state(sp(D11)) == DeviceState.OFFLINE);
    assertThat(sink.view(sp(D11)).cause()).contains("DDEATH").contains("metrics STALE");
    Instant death = sink.recorded.events(DeviceEvent.Death.class).get(0).time();
    List<Reading> stale =
        sink.recorded.readings().stream().filter(r -> r.quality() == Quality.STALE).toList();
    assertThat(stale).extracting(Reading::deviceId).containsOnly(sp(D11));
    // Every metric of its birth and data: the signals and the nameplate properties.
    assertThat(stale)
        .extracting(Reading::tag)
        .containsExactlyInAnyOrder(
            "temperature",
            "pressure",
            "force",
            "Properties/Serial Number",
            "Properties/Manufacturer",
            "Properties/Model");
    assertThat(stale).extracting(Reading::sourceTime).containsOnly(death);
    assertThat(sink.view(sp(D11)).goodSamples()).isEqualTo(sink.recorded.goodReadingCount(sp(D11)));
    assertThat(sink.state(sp(D12))).isEqualTo(DeviceState.ONLINE);
  }

  @Test
  void a_node_that_disconnects_without_its_will_goes_offline_by_silence() {
    start(Map.of());
    awaitOnline(sp(D11), sp(D21));

    fleet.node(NODE_1).disconnectQuietly();

    await().atMost(PATIENCE).until(() -> sink.state(sp(D11)) == DeviceState.OFFLINE);
    assertThat(sink.view(sp(D11)).cause()).contains("no Good data");
    assertThat(sink.recorded.events(DeviceEvent.Death.class)).isEmpty();
    assertThat(sink.state(sp(D21))).isEqualTo(DeviceState.ONLINE);
  }

  @Test
  void a_seq_gap_is_answered_with_a_rebirth_request_the_node_receives_through_the_broker() {
    start(Map.of("sparkplug", Map.of("reorderTimeout", "500ms")));
    awaitOnline(sp(D11));
    SimulatedEdgeNode node = fleet.node(NODE_1);
    long birthsBefore = node.births();

    node.skipSeq(3);

    await().atMost(PATIENCE).until(() -> node.rebirthRequests() >= 1);
    await().atMost(PATIENCE).until(() -> node.births() > birthsBefore);
    assertThat(adapter.sparkplugCounters().gaps()).isGreaterThanOrEqualTo(1);
    assertThat(sink.recorded.events(DeviceEvent.Flagged.class))
        .filteredOn(f -> f.flag() == DeviceEvent.Flag.SEQUENCE_GAP)
        .extracting(DeviceEvent::deviceId)
        .contains(sp(D11), sp(D12), MqttSources.nodeId(NODE_1));
    long after = sink.recorded.goodReadingCount(sp(D11));
    await().atMost(PATIENCE).until(() -> sink.recorded.goodReadingCount(sp(D11)) > after + 5);
    assertThat(sink.state(sp(D11))).isEqualTo(DeviceState.ONLINE);
  }

  @Test
  void a_late_will_of_an_old_session_is_ignored() {
    start(Map.of());
    awaitOnline(sp(D11));

    fleet.node(NODE_1).publishStaleDeath();

    await().atMost(PATIENCE).until(() -> adapter.sparkplugCounters().lateDeathsIgnored() == 1);
    assertThat(sink.recorded.events(DeviceEvent.Death.class)).isEmpty();
    assertThat(sink.state(sp(D11))).isEqualTo(DeviceState.ONLINE);
  }

  @Test
  void replayed_data_is_refused_and_flagged_and_asks_no_rebirth_since_nothing_was_lost() {
    start(Map.of());
    awaitOnline(sp(D11));
    await().atMost(PATIENCE).until(() -> sink.recorded.goodReadingCount(sp(D11)) > 10);
    long rebirthsBefore = adapter.sparkplugCounters().rebirthRequests();

    fleet.node(NODE_1).replayOldData();

    await().atMost(PATIENCE).until(() -> count(adapter, sp(D11), "REPLAYED") == 1);
    assertThat(flags(DeviceEvent.Flag.REPLAYED_SEQUENCE)).contains(sp(D11));
    assertThat(flags(DeviceEvent.Flag.SEQUENCE_GAP)).isEmpty();
    assertThat(adapter.sparkplugCounters().rebirthRequests()).isEqualTo(rebirthsBefore);
    long after = sink.recorded.goodReadingCount(sp(D11));
    await().atMost(PATIENCE).until(() -> sink.recorded.goodReadingCount(sp(D11)) > after + 5);
  }

  @Test
  void every_malformed_payload_is_counted_dead_lettered_and_flagged_and_data_keeps_flowing()
      throws Exception {
    start(Map.of("maxPayloadBytes", 2048));
    awaitOnline(sp(D11));
    SimulatedEdgeNode node = fleet.node(NODE_1);

    for (SimulatedEdgeNode.Malformation m : SimulatedEdgeNode.Malformation.values()) {
      node.publishMalformed(D11, m);
    }

    for (String reason :
        List.of("BAD_PROTOBUF", "OVERSIZE", "UNKNOWN_ALIAS", "WRONG_TYPE", "MISSING_FIELD")) {
      await().atMost(PATIENCE).until(() -> count(adapter, sp(D11), reason) == 1);
    }
    List<String> lines = Files.readAllLines(adapter.deadLetterFile());
    ObjectMapper json = new ObjectMapper();
    assertThat(lines)
        .extracting(l -> json.readTree(l).get("reason").asText())
        .contains("BAD_PROTOBUF", "OVERSIZE", "UNKNOWN_ALIAS", "WRONG_TYPE", "MISSING_FIELD");
    JsonNode first = json.readTree(lines.get(0));
    assertThat(first.get("topic").asText()).isEqualTo("spBv1.0/plant/DDATA/line-01/" + D11);
    assertThat(flags(DeviceEvent.Flag.MALFORMED_PAYLOAD)).contains(sp(D11));
    assertThat(sink.view(sp(D11)).flags()).anyMatch(f -> f.startsWith("MALFORMED_PAYLOAD"));

    assertThat(adapter.status().state()).isEqualTo(SourceStatus.State.CONNECTED);
    long after = sink.recorded.goodReadingCount(sp(D11));
    await().atMost(PATIENCE).until(() -> sink.recorded.goodReadingCount(sp(D11)) > after + 5);
  }

  @Test
  void historical_values_are_delivered_marked_historical_and_never_count_as_online() {
    start(Map.of());
    awaitOnline(sp(D11));
    Instant sent = Instant.now();

    fleet.node(NODE_1).publishHistorical(D11, 5, Duration.ofMinutes(1));

    await()
        .atMost(PATIENCE)
        .until(() -> sink.recorded.readings().stream().filter(Reading::historical).count() == 15);
    assertThat(sink.recorded.readings())
        .filteredOn(Reading::historical)
        .allMatch(r -> r.sourceTime().isBefore(sent.minusSeconds(50)));
    // The tracker counted every live Good sample and none of the 15 historical ones.
    await()
        .atMost(PATIENCE)
        .until(() -> sink.view(sp(D11)).goodSamples() == sink.recorded.goodReadingCount(sp(D11)));
    assertThat(flags(DeviceEvent.Flag.CLOCK_SKEW)).doesNotContain(sp(D11));
  }

  @Test
  void a_node_with_a_skewed_clock_is_flagged() {
    start(Map.of());
    awaitOnline(sp(D11));

    fleet.node(NODE_1).skew(Duration.ofSeconds(30));

    await().atMost(PATIENCE).until(() -> flags(DeviceEvent.Flag.CLOCK_SKEW).contains(sp(D11)));
    assertThat(flags(DeviceEvent.Flag.CLOCK_SKEW)).doesNotContain(sp(D21));
  }

  @Test
  void a_duplicated_serial_is_flagged_by_the_gateway() {
    start(Map.of());
    awaitOnline(sp(D11), sp(D12));

    SimulatedEdgeNode node = fleet.node(NODE_1);
    node.reportSerial(D12, "SN-" + D11);
    node.rebirth();

    await()
        .atMost(PATIENCE)
        .until(() -> sink.view(sp(D12)).flags().stream().anyMatch(f -> f.startsWith("DUPLICATE")));
    assertThat(sink.view(sp(D12)).identity()).containsEntry("serialNumber", "SN-" + D11);
  }

  @Test
  void after_a_broker_restart_the_nodes_rebirth_with_a_new_bdseq_and_data_resumes()
      throws Exception {
    start(Map.of());
    awaitOnline(sp(D11), sp(D21));
    int bdSeqBefore = fleet.node(NODE_1).bdSeq();

    broker.stop();
    await().atMost(PATIENCE).until(() -> adapter.status().state() != SourceStatus.State.CONNECTED);
    sink.recorded.clear();
    broker.start();

    await().atMost(PATIENCE).until(() -> adapter.status().state() == SourceStatus.State.CONNECTED);
    await()
        .atMost(PATIENCE)
        .until(
            () -> sink.recorded.devicesWithGoodReadings().containsAll(List.of(sp(D11), sp(D21))));
    assertThat(fleet.node(NODE_1).bdSeq()).isNotEqualTo(bdSeqBefore);
    assertThat(sink.recorded.events(DeviceEvent.Birth.class))
        .extracting(DeviceEvent::deviceId)
        .contains(sp(D11), sp(D21));
  }

  @Test
  void as_primary_host_the_gateway_publishes_a_retained_state_online_then_offline()
      throws Exception {
    start(Map.of("sparkplug", Map.of("hostId", "onboard-it")));
    awaitOnline(sp(D11));
    String topic = "spBv1.0/STATE/onboard-it";

    JsonNode online = retained(topic);
    assertThat(online.get("online").asBoolean()).isTrue();
    assertThat(online.get("timestamp").asLong()).isPositive();

    adapter.close();
    adapter = null;

    await().atMost(PATIENCE).until(() -> !retained(topic).get("online").asBoolean());
  }

  // ---- helpers

  private void start(Map<String, Object> extra) {
    Map<String, Object> settings =
        new java.util.LinkedHashMap<>(MqttSources.brokerSettings(broker.url(), broker.version()));
    settings.putAll(extra);
    sink =
        new LiveSink(
            MqttSources.sparkplugIds(NODES),
            new LivenessTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)));
    adapter =
        MqttSources.startAdapter(
            MqttSources.sparkplugSource("plant-mqtt", settings, NODES),
            sink,
            dataDir,
            "it-adapter");
  }

  private void awaitOnline(String... ids) {
    await()
        .atMost(PATIENCE)
        .until(() -> List.of(ids).stream().allMatch(id -> sink.state(id) == DeviceState.ONLINE));
  }

  private List<String> flags(DeviceEvent.Flag flag) {
    return sink.recorded.events(DeviceEvent.Flagged.class).stream()
        .filter(f -> f.flag() == flag)
        .map(DeviceEvent::deviceId)
        .toList();
  }

  private static long count(MqttAdapter adapter, String device, String reason) {
    return adapter.malformedCounts().getOrDefault(device, Map.of()).getOrDefault(reason, 0L);
  }

  private static String sp(String device) {
    return MqttSources.spDeviceId(device);
  }

  /** The retained message on {@code topic}, read with a fresh MQTT 3.1.1 client. */
  private JsonNode retained(String topic) throws Exception {
    BlockingQueue<byte[]> got = new ArrayBlockingQueue<>(4);
    MqttClient c =
        new MqttClient(
            broker.url(), "it-state-reader-" + System.nanoTime(), new MemoryPersistence());
    try {
      MqttConnectOptions o = new MqttConnectOptions();
      o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      c.connect(o);
      c.subscribe(topic, 1, (t, m) -> got.offer(m.getPayload()));
      byte[] payload = got.poll(10, TimeUnit.SECONDS);
      assertThat(payload).as("a retained message on " + topic).isNotNull();
      return new ObjectMapper().readTree(payload);
    } finally {
      if (c.isConnected()) {
        try {
          c.disconnect();
        } catch (MqttException e) {
          // The embedded broker closes its side as it takes DISCONNECT, and Paho 1.2.5 now and then
          // reports that as "Connection lost" (32109) from disconnect(). The payload is read by
          // then; this reader's goodbye is not what the test checks.
        }
      }
      c.close();
    }
  }
}
