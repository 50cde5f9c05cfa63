package dev.onboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onboard.simulator.mqtt.EmbeddedBroker;
import dev.onboard.simulator.mqtt.sparkplug.SpEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code onboard simulate} with Sparkplug B edge nodes, started through its command line against an
 * external broker (an embedded one the test starts on a free loopback port), watched by a plain
 * MQTT client: births, data, and the faults of a scenario as they reach the broker.
 */
class SimulateSparkplugIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final EmbeddedBroker broker = new EmbeddedBroker();
  private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
  private MqttClient watcher;
  private SimulatorMain main;
  private Thread running;
  private final AtomicInteger exitCode = new AtomicInteger(-1);

  record Seen(String topic, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  @BeforeEach
  void startBrokerAndWatcher() throws Exception {
    broker.start().join();
    watcher = new MqttClient(broker.url(), "it-watcher", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    watcher.connect(o);
    watcher.subscribe("spBv1.0/#", 1, (t, m) -> seen.add(new Seen(t, m.getPayload())));
  }

  @AfterEach
  void stopEverything() throws Exception {
    try {
      if (main != null) {
        main.stop();
        running.join(PATIENCE.toMillis());
      }
      watcher.disconnect();
      watcher.close();
    } finally {
      broker.close();
    }
  }

  @Test
  void simulate_runs_n_edge_nodes_of_m_devices_on_an_external_broker_with_the_scenarios_faults() {
    simulate(
        "--sparkplug-only",
        "--mqtt-broker",
        broker.url(),
        "--sparkplug-nodes",
        "2",
        "--sparkplug-devices",
        "3",
        "--sparkplug-interval",
        "100ms",
        "--fault",
        "1s sparkplug edge-02 skip-seq 5",
        "--fault",
        "1s sparkplug edge-02/edge-02-d01 malformed not-protobuf",
        "--fault",
        "1500ms sparkplug edge-02 replay 3",
        "--fault",
        "2s sparkplug edge-01 kill",
        "--fault",
        "2s sparkplug edge-02/edge-02-d03 ddeath");

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                topics().containsAll(births("edge-01", 3))
                    && topics().containsAll(births("edge-02", 3)));
    List<String> devices =
        seen.stream()
            .filter(s -> s.topic().contains("/DBIRTH/edge-01/"))
            .map(s -> s.topic().substring(s.topic().lastIndexOf('/') + 1))
            .toList();
    assertThat(devices).containsExactly("edge-01-d01", "edge-01-d02", "edge-01-d03");

    // kill: the connection drops and the broker publishes the node's Will, an NDEATH.
    await().atMost(PATIENCE).until(() -> topics().contains("spBv1.0/plant/NDEATH/edge-01"));
    // malformed: bytes that are no protobuf, on the device's DDATA topic.
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                seen.stream()
                    .anyMatch(
                        s ->
                            s.topic().equals("spBv1.0/plant/DDATA/edge-02/edge-02-d01")
                                && s.text().equals("not protobuf at all")));
    // skip-seq: edge-02's seq jumps by 6 once instead of 1.
    await().atMost(PATIENCE).until(() -> seqSteps("edge-02").contains(6));
    // replay: a DDATA payload, old seq and old timestamp, comes a second time.
    await().atMost(PATIENCE).until(() -> repeatedDdata("edge-02"));
    assertThat(repeatedDdata("edge-01")).isFalse();
    // ddeath: one device dies; the node's other devices keep publishing, it does not.
    await()
        .atMost(PATIENCE)
        .until(() -> topics().contains("spBv1.0/plant/DDEATH/edge-02/edge-02-d03"));
    long dead = count("spBv1.0/plant/DDATA/edge-02/edge-02-d03");
    long before = count("spBv1.0/plant/DDATA/edge-02/");
    await().atMost(PATIENCE).until(() -> count("spBv1.0/plant/DDATA/edge-02/") > before + 10);
    assertThat(count("spBv1.0/plant/DDATA/edge-02/edge-02-d03")).isEqualTo(dead);

    main.stop();
    await().atMost(PATIENCE).until(() -> !running.isAlive());
    assertThat(exitCode.get()).isZero();
    // A clean stop sends edge-02's own NDEATH; edge-01, already dead, sends none again.
    assertThat(seen.stream().filter(s -> s.topic().startsWith("spBv1.0/plant/NDEATH/")))
        .extracting(Seen::topic)
        .containsExactlyInAnyOrder("spBv1.0/plant/NDEATH/edge-01", "spBv1.0/plant/NDEATH/edge-02");
  }

  @Test
  void a_fault_for_a_node_that_does_not_exist_stops_simulate_before_anything_starts() {
    int code =
        new CommandLine(new SimulatorMain())
            .execute(
                "--sparkplug-only",
                "--mqtt-broker",
                broker.url(),
                "--sparkplug-nodes",
                "1",
                "--fault",
                "1s sparkplug edge-09 kill");
    assertThat(code).isNotZero();
    assertThat(seen).isEmpty();
  }

  // ---- helpers

  private void simulate(String... args) {
    main = new SimulatorMain();
    running = new Thread(() -> exitCode.set(new CommandLine(main).execute(args)), "it-simulate");
    running.start();
  }

  private List<String> topics() {
    return seen.stream().map(Seen::topic).toList();
  }

  private static List<String> births(String node, int devices) {
    List<String> out = new ArrayList<>();
    out.add("spBv1.0/plant/NBIRTH/" + node);
    for (int d = 1; d <= devices; d++) {
      out.add(String.format("spBv1.0/plant/DBIRTH/%s/%s-d%02d", node, node, d));
    }
    return out;
  }

  private long count(String topicPrefix) {
    return seen.stream().filter(s -> s.topic().startsWith(topicPrefix)).count();
  }

  /** The differences between consecutive seqs of one node's messages, in arrival order. */
  private List<Integer> seqSteps(String node) {
    List<Integer> steps = new ArrayList<>();
    Long last = null;
    for (Seen s : seen) {
      boolean ofNode =
          s.topic()
              .matches("spBv1\\.0/plant/(NBIRTH|NDATA|DDATA|DBIRTH|DDEATH)/" + node + "(/.*)?");
      Long seq = ofNode ? SpEncoder.seq(s.payload()) : null;
      if (seq == null) {
        continue;
      }
      if (last != null && !s.topic().contains("/NBIRTH/")) {
        steps.add((int) ((seq - last) & 0xFF));
      }
      last = seq;
    }
    return steps;
  }

  private boolean repeatedDdata(String node) {
    List<byte[]> payloads =
        seen.stream()
            .filter(s -> s.topic().startsWith("spBv1.0/plant/DDATA/" + node + "/"))
            .map(Seen::payload)
            .toList();
    for (int i = 0; i < payloads.size(); i++) {
      for (int j = i + 1; j < payloads.size(); j++) {
        if (Arrays.equals(payloads.get(i), payloads.get(j))) {
          return true;
        }
      }
    }
    return false;
  }
}
