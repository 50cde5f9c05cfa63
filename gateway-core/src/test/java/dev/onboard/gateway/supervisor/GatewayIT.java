package dev.onboard.gateway.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onboard.gateway.config.ConfigLoader;
import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.spi.SourceStatus;
import dev.onboard.gateway.testkit.InfluxServer;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayIT {

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  private GatewayConfig config(String protocol) throws Exception {
    return config(protocol, "");
  }

  private GatewayConfig config(String protocol, String extra) throws Exception {
    Path file = dir.resolve("onboard.yaml");
    Files.writeString(
        file,
        """
        gateway: {id: gw-it, dataDir: state}
        sources:
          - {id: line-1, protocol: %s, tagName: Temperature}
        inventory:
          enterprises: [{id: E001, name: 测试企业}]
          devices:
            - {id: dev-1, enterprise: E001, source: line-1}
            - {id: dev-2, enterprise: E001, source: line-1}
        http:
          bind: 127.0.0.1:0
          tokens: {operator: {env: OP}}
        """
                .formatted(protocol)
            + extra);
    return new ConfigLoader(Map.of("OP", "it-token")::get).load(file);
  }

  private HttpResponse<String> get(Gateway g, String path, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + g.apiAddress().orElseThrow().getPort() + path))
            .timeout(Duration.ofSeconds(5));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void a_started_gateway_serves_devices_over_http_and_a_reading_makes_one_online()
      throws Exception {
    try (Gateway g = Gateway.build(config("scripted"), Clock.systemUTC())) {
      g.start().join();
      assertThat(get(g, "/api/v1/devices", null).statusCode()).isEqualTo(401);

      ScriptedAdapterProvider.CREATED.get("line-1").emit("dev-1", 20.5);
      JsonNode devices = json.readTree(get(g, "/api/v1/devices", "it-token").body()).get("devices");
      assertThat(devices.get(0).get("state").asText()).isEqualTo("ONLINE");
      assertThat(devices.get(1).get("state").asText()).isEqualTo("UNKNOWN");

      JsonNode counts = json.readTree(get(g, "/api/v1/counts", "it-token").body());
      assertThat(counts.at("/byProtocol/scripted/ONLINE").asInt()).isEqualTo(1);
      assertThat(get(g, "/metrics", "it-token").body())
          .contains("onboard_samples_received_total{gateway=\"gw-it\",protocol=\"scripted\"} 1.0")
          .contains(
              "onboard_source_state{gateway=\"gw-it\",protocol=\"scripted\",source=\"line-1\",state=\"CONNECTED\"} 1.0");
      assertThat(Files.isDirectory(dir.resolve("state/sources/line-1"))).isTrue();
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(dir.resolve("state/keys/gateway-ed25519.key"))))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void telemetry_status_and_heartbeats_reach_the_central_store_with_their_tags() throws Exception {
    try (InfluxServer influx = InfluxServer.start(dir.resolve("influx"))) {
      influx.createDatabase("platform");
      GatewayConfig c =
          config("scripted", "uplink: {url: \"" + influx.url() + "\", database: platform}\n");
      try (Gateway g = Gateway.build(c, Clock.systemUTC())) {
        g.start().join();
        for (int i = 0; i < 50; i++) {
          ScriptedAdapterProvider.CREATED.get("line-1").emit("dev-1", i);
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    influx.count("platform", "SELECT count(value) FROM telemetry") >= 1
                        && influx.count("platform", "SELECT count(state) FROM device_status") >= 1
                        && influx.count(
                                "platform", "SELECT count(outbox_depth) FROM gateway_heartbeat")
                            >= 1);
        JsonNode series =
            influx
                .query("platform", "SELECT last(state) FROM device_status GROUP BY *")
                .at("/results/0/series/0");
        assertThat(series.at("/tags/device").asText()).isEqualTo("dev-1");
        assertThat(series.at("/tags/enterprise").asText()).isEqualTo("E001");
        assertThat(series.at("/tags/gateway").asText()).isEqualTo("gw-it");
        assertThat(series.at("/tags/protocol").asText()).isEqualTo("scripted");
        assertThat(series.at("/values/0/1").asText()).isEqualTo("ONLINE");
        JsonNode uplink = json.readTree(get(g, "/api/v1/uplink", "it-token").body());
        assertThat(uplink.at("/uplink/state").asText()).isEqualTo("DELIVERING");
        assertThat(g.ledger().orElseThrow().size())
            .as("the inventory is in the ledger")
            .isGreaterThanOrEqualTo(2);
      }
    }
  }

  @Test
  void start_and_stop_are_idempotent_and_stop_closes_the_port() throws Exception {
    Gateway g = Gateway.build(config("scripted"), Clock.systemUTC());
    assertThat(g.start()).isSameAs(g.start());
    g.start().join();
    int port = g.apiAddress().orElseThrow().getPort();
    assertThat(g.stop()).isSameAs(g.stop());
    g.stop().join();
    assertThat(g.sources())
        .extracting(SourceStatus::state)
        .containsExactly(SourceStatus.State.STOPPED);
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
    assertThatThrownBy(() -> http.send(r, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
    assertThat(g.start()).isCompletedExceptionally();
  }

  @Test
  void building_never_starts_anything_or_creates_the_data_dir() throws Exception {
    try (Gateway g = Gateway.build(config("scripted"), Clock.systemUTC())) {
      assertThat(g.sources())
          .extracting(SourceStatus::state)
          .containsExactly(SourceStatus.State.STOPPED);
      assertThat(dir.resolve("state")).doesNotExist();
    }
  }

  @Test
  void an_unknown_protocol_names_the_key_and_the_protocols_on_the_class_path() throws Exception {
    GatewayConfig c = config("modbus");
    assertThatThrownBy(() -> Gateway.build(c, Clock.systemUTC()))
        .hasMessageEndingWith(
            "sources[0].protocol: no adapter for protocol 'modbus'. Fix: use one of [scripted]");
  }
}
