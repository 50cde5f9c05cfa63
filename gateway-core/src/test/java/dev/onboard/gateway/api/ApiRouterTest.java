package dev.onboard.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.config.HttpConfig;
import dev.onboard.gateway.config.LivenessTimeouts;
import dev.onboard.gateway.config.Role;
import dev.onboard.gateway.liveness.LivenessTracker;
import dev.onboard.gateway.liveness.TrackedDevice;
import dev.onboard.gateway.metrics.GatewayMetrics;
import dev.onboard.gateway.outbox.OutboxConfig;
import dev.onboard.gateway.pipeline.CentralStore;
import dev.onboard.gateway.pipeline.PointEncoder;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.spi.Secret;
import dev.onboard.gateway.spi.SourceStatus;
import dev.onboard.gateway.testkit.MovableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiRouterTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final LivenessTracker liveness =
      new LivenessTracker(
          clock,
          List.of(
              new TrackedDevice(
                  "cnc-01", "E001", "ua", "opcua", LivenessTimeouts.DEFAULT, Map.of()),
              new TrackedDevice(
                  "cnc-02", "E001", "ua", "opcua", LivenessTimeouts.DEFAULT, Map.of()),
              new TrackedDevice(
                  "press-01", "E002", "mq", "mqtt", LivenessTimeouts.DEFAULT, Map.of())),
          c -> {});
  private final GatewayMetrics metrics = new GatewayMetrics("gw-1", liveness);
  private final GatewayConfig config =
      new GatewayConfig(
          Path.of("onboard.yaml"),
          "gw-1",
          Path.of("data"),
          List.of(),
          List.of(),
          List.of(),
          Optional.empty(),
          OutboxConfig.defaults(Path.of("data/outbox")),
          Optional.empty(),
          java.time.Duration.ofHours(1));
  private final CentralStore central =
      new CentralStore(
          config.outbox(), Optional.empty(), new PointEncoder("gw-1", List.of()), clock);
  private final ApiRouter router =
      new ApiRouter(
          List.of(new HttpConfig.Token(Role.OPERATOR, new Secret("env:T", "op-token"))),
          config,
          liveness,
          () ->
              List.of(
                  new SourceStatus(
                      "ua", "opcua", SourceStatus.State.CONNECTED, "", clock.instant())),
          central,
          metrics);
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void closeMetrics() {
    metrics.close();
  }

  private JsonNode get(String path) throws Exception {
    ApiResponse r = router.handle("GET", path, "Bearer op-token");
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    return json.readTree(r.body());
  }

  @Test
  void a_request_without_a_token_is_refused_with_401_and_says_how_to_send_one() throws Exception {
    ApiResponse r = router.handle("GET", "/api/v1/devices", null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.headers()).containsExactly("WWW-Authenticate", "Bearer realm=\"onboard\"");
    assertThat(json.readTree(r.body()).get("fix").asText())
        .contains("Authorization: Bearer <token>");
  }

  @Test
  void a_wrong_token_is_refused_and_metrics_need_a_token_too() {
    assertThat(router.handle("GET", "/api/v1/devices", "Bearer nope").status()).isEqualTo(401);
    assertThat(router.handle("GET", "/metrics", null).status()).isEqualTo(401);
  }

  @Test
  void devices_show_state_enterprise_and_protocol() throws Exception {
    liveness.reading(
        Reading.of("cnc-01", "t", 1.0, clock.instant(), clock.instant(), Quality.GOOD));
    JsonNode devices = get("/api/v1/devices").get("devices");
    assertThat(devices).hasSize(3);
    assertThat(devices.get(0).get("id").asText()).isEqualTo("cnc-01");
    assertThat(devices.get(0).get("state").asText()).isEqualTo("ONLINE");
    assertThat(devices.get(0).get("lastSeen").asText()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(devices.get(2).get("protocol").asText()).isEqualTo("mqtt");
  }

  @Test
  void counts_are_grouped_by_state_enterprise_and_protocol() throws Exception {
    liveness.reading(
        Reading.of("cnc-01", "t", 1.0, clock.instant(), clock.instant(), Quality.GOOD));
    liveness.reading(
        Reading.of("press-01", "t", 1.0, clock.instant(), clock.instant(), Quality.GOOD));
    JsonNode counts = get("/api/v1/counts");
    assertThat(counts.get("total").asInt()).isEqualTo(3);
    assertThat(counts.at("/byState/ONLINE").asInt()).isEqualTo(2);
    assertThat(counts.at("/byState/UNKNOWN").asInt()).isEqualTo(1);
    assertThat(counts.at("/byEnterprise/E001/ONLINE").asInt()).isEqualTo(1);
    assertThat(counts.at("/byEnterprise/E001/UNKNOWN").asInt()).isEqualTo(1);
    assertThat(counts.at("/byProtocol/mqtt/ONLINE").asInt()).isEqualTo(1);
    assertThat(counts.at("/byProtocol/opcua/OFFLINE").asInt()).isZero();
  }

  @Test
  void an_unknown_device_is_404_and_names_where_to_look() throws Exception {
    ApiResponse r = router.handle("GET", "/api/v1/devices/nope", "Bearer op-token");
    assertThat(r.status()).isEqualTo(404);
    assertThat(json.readTree(r.body()).get("error").asText())
        .isEqualTo("no device 'nope' in the inventory");
  }

  @Test
  void sources_show_their_connection_state() throws Exception {
    assertThat(get("/api/v1/sources").at("/sources/0/state").asText()).isEqualTo("CONNECTED");
  }

  @Test
  void metrics_are_prometheus_text_with_devices_per_state_and_samples_per_protocol() {
    metrics.sampleReceived("opcua");
    ApiResponse r = router.handle("GET", "/metrics", "Bearer op-token");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(r.bodyText())
        .contains("onboard_devices{gateway=\"gw-1\",state=\"UNKNOWN\"} 3.0")
        .contains("onboard_samples_received_total{gateway=\"gw-1\",protocol=\"opcua\"} 1.0")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void the_dashboard_page_loads_without_a_token_but_holds_no_data() {
    ApiResponse r = router.handle("GET", "/", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/html");
    assertThat(r.bodyText()).contains("设备上平台").contains("/api/v1/devices").doesNotContain("cnc-01");
  }

  @Test
  void the_uplink_status_says_when_no_central_store_is_configured() throws Exception {
    JsonNode body = get("/api/v1/uplink");
    assertThat(body.at("/uplink/state").asText()).isEqualTo("NOT_CONFIGURED");
    assertThat(body.at("/uplink/detail").asText())
        .isEqualTo("no uplink: section in the configuration");
  }

  @Test
  void writes_are_not_allowed() {
    assertThat(router.handle("POST", "/api/v1/devices", "Bearer op-token").status()).isEqualTo(405);
  }
}
