package dev.onboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onboard.simulator.opcua.SimulatedOpcUaServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo, in-process on free ports: simulated factory → adapters → gateway → HTTP API, checked
 * the way an operator would, through {@code /api/v1/devices}. Faults come from the simulator's API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoEndToEndIT {

  /**
   * The demo configuration's offlineAfter (OPC UA: the default 8 s; MQTT: 10 s), plus margin for a
   * session's round trips.
   */
  private static final Duration OPCUA_OFFLINE = Duration.ofSeconds(8 + 5);

  private static final Duration MQTT_OFFLINE = Duration.ofSeconds(10 + 5);
  private static final Duration RECOVERY = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private Demo demo;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  void startDemo() throws Exception {
    demo = Demo.start(dir, 0, false);
  }

  @AfterAll
  void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  private Map<String, String> states() throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.apiPort() + "/api/v1/devices"))
            .header("Authorization", "Bearer " + demo.token())
            .build();
    JsonNode devices =
        json.readTree(http.send(r, HttpResponse.BodyHandlers.ofString()).body()).get("devices");
    Map<String, String> out = new TreeMap<>();
    devices.forEach(d -> out.put(d.get("id").asText(), d.get("state").asText()));
    return out;
  }

  private long online() throws Exception {
    return states().values().stream().filter("ONLINE"::equals).count();
  }

  private SimulatedOpcUaServer plant() {
    return demo.factory().opcua("plant-1");
  }

  @Test
  @Order(1)
  void all_ten_devices_become_online_with_identity_from_the_equipment() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> online() == 10);
    assertThat(demo.gateway().liveness().device("cnc-01").orElseThrow().identity())
        .containsEntry("serialNumber", "GNC-980TDi-24001")
        .containsEntry("manufacturer", "Guangzhou Numerical");
    assertThat(demo.gateway().liveness().device("press-01").orElseThrow().identity())
        .containsEntry("serialNumber", "SN-PRESS-0001");
    assertThat(demo.gateway().liveness().devices())
        .allSatisfy(d -> assertThat(d.flags()).isEmpty());
  }

  @Test
  @Order(2)
  void a_stopped_opcua_device_and_a_killed_mqtt_device_go_offline_and_only_they() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> online() == 10);
    plant().stopDevice("CNC-01");
    demo.factory().mqtt().killDevice("press-01");

    await().atMost(MQTT_OFFLINE).until(() -> "OFFLINE".equals(states().get("press-01")));
    await().atMost(OPCUA_OFFLINE).until(() -> "OFFLINE".equals(states().get("cnc-01")));
    Map<String, String> states = states();
    states.remove("cnc-01");
    states.remove("press-01");
    assertThat(states)
        .as("every other device")
        .allSatisfy((id, state) -> assertThat(state).isEqualTo("ONLINE"));

    plant().startDevice("CNC-01");
    demo.factory().mqtt().startDevice("press-01");
    await().atMost(RECOVERY).until(() -> online() == 10);
  }

  @Test
  @Order(3)
  void when_the_whole_opcua_server_stops_its_five_machines_go_offline_and_return_with_it()
      throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> online() == 10);
    plant().stop().join();

    await()
        .atMost(OPCUA_OFFLINE)
        .until(
            () ->
                states().entrySet().stream().filter(e -> e.getValue().equals("OFFLINE")).count()
                    == 5);
    assertThat(states())
        .containsEntry("cnc-01", "OFFLINE")
        .containsEntry("em-01", "OFFLINE")
        .containsEntry("press-01", "ONLINE")
        .containsEntry("meter-02", "ONLINE");

    plant().start().join();
    await().atMost(RECOVERY).until(() -> online() == 10);
    assertThat(plant().sessionCount()).as("one session after the reconnect").isEqualTo(1);
  }
}
