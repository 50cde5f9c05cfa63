package dev.onboard.adapters.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.adapters.opcua.OpcUaSourceConfig.Mode;
import dev.onboard.adapters.opcua.OpcUaSourceConfig.Policy;
import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.AdapterProvider;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.SourceStatus;
import dev.onboard.gateway.testkit.RecordingSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class OpcUaSourceConfigTest {

  private static final String URL = "opc.tcp://10.0.0.5:4840/plc";

  @Test
  void the_provider_is_found_by_service_loader_under_protocol_opcua() {
    assertThat(ServiceLoader.load(AdapterProvider.class).stream().map(p -> p.get().protocol()))
        .contains("opcua");
  }

  @Test
  void defaults_are_best_security_anonymous_and_moderate_intervals() throws Exception {
    OpcUaSourceConfig c =
        OpcUaSourceConfig.parse(
            Specs.endpoint(URL).device("d1", Map.of("nodeIds", Map.of("T", "ns=2;s=T"))).build());
    assertThat(c.policy()).isEqualTo(Policy.BEST);
    assertThat(c.mode()).isEmpty();
    assertThat(c.username()).isEmpty();
    assertThat(c.subscription().samplingInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.subscription().publishingInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.subscription().queueSize()).isEqualTo(10);
    assertThat(c.clockSkewTolerance()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void every_documented_key_is_read() throws Exception {
    OpcUaSourceConfig c =
        OpcUaSourceConfig.parse(
            Specs.endpoint(URL)
                .set("security", Map.of("policy", "aes256-sha256-rsapss", "mode", "sign"))
                .set("auth", Map.of("username", "gw", "password", Map.of("env", "PW")))
                .set(
                    "subscription",
                    Map.of(
                        "samplingInterval",
                        "100ms",
                        "publishingInterval",
                        "1s",
                        "queueSize",
                        5,
                        "deadband",
                        "0.5"))
                .set("browse", Map.of("startNode", "ns=2;s=Devices", "variables", "Spindle.*"))
                .set("clockSkewTolerance", "5s")
                .env(Map.of("PW", "s3cret"))
                .device("cnc", Map.of("browseName", "CNC-01", "samplingInterval", "50ms"))
                .build());
    assertThat(c.policy()).isEqualTo(Policy.AES256_SHA256_RSAPSS);
    assertThat(c.mode()).contains(Mode.SIGN);
    assertThat(c.username()).contains("gw");
    assertThat(c.password().orElseThrow().reveal()).isEqualTo("s3cret");
    assertThat(c.subscription().deadband()).isEqualTo(0.5);
    assertThat(c.browse().orElseThrow().variables().matcher("SpindleSpeed").matches()).isTrue();
    assertThat(c.browse().orElseThrow().variables().matcher("FeedRate").matches()).isFalse();
    assertThat(c.devices().get(0).samplingInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(c.devices().get(0).queueSize()).isEqualTo(5);
    assertThat(c.clockSkewTolerance()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.toString()).doesNotContain("s3cret");
  }

  @Test
  void a_device_may_have_its_own_publishing_interval_and_deadband_and_frozen_after_is_read()
      throws Exception {
    OpcUaSourceConfig c =
        OpcUaSourceConfig.parse(
            Specs.endpoint(URL)
                .browse("ns=2;s=Devices")
                .set("frozenAfter", "30s")
                .browsed("cnc", "CNC-01")
                .device(
                    "meter",
                    Map.of("browseName", "EM-01", "publishingInterval", "5s", "deadband", "0.5"))
                .build());
    assertThat(c.frozenAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.devices().get(0).publishingInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.devices().get(0).deadband()).isZero();
    assertThat(c.devices().get(1).publishingInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.devices().get(1).deadband()).isEqualTo(0.5);
    assertThat(
            OpcUaSourceConfig.parse(
                    Specs.endpoint(URL)
                        .device("d", Map.of("nodeIds", Map.of("T", "ns=2;s=T")))
                        .build())
                .frozenAfter())
        .isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void an_x509_user_needs_its_key_a_readable_certificate_and_no_username_beside_it() {
    assertThatThrownBy(
            () ->
                OpcUaSourceConfig.parse(
                    Specs.endpoint(URL)
                        .set("auth", Map.of("certificate", "/nonexistent/user.der"))
                        .build()))
        .hasMessageContaining("sources[0].auth.privateKey")
        .hasMessageContaining("PKCS#8");
    assertThatThrownBy(
            () ->
                OpcUaSourceConfig.parse(
                    Specs.endpoint(URL)
                        .set(
                            "auth",
                            Map.of(
                                "certificate",
                                "/nonexistent/user.der",
                                "privateKey",
                                Map.of("env", "KEY")))
                        .env(Map.of("KEY", "not a key"))
                        .build()))
        .hasMessageContaining("sources[0].auth.certificate")
        .hasMessageContaining("/nonexistent/user.der");
  }

  @Test
  void a_misspelt_key_is_named_with_its_path_and_a_suggestion() {
    assertThatThrownBy(
            () -> OpcUaSourceConfig.parse(Specs.endpoint(URL).set("securty", Map.of()).build()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("onboard.yaml")
        .hasMessageContaining("sources[0].securty")
        .hasMessageContaining("did you mean 'security'");
  }

  @Test
  void an_endpoint_that_is_not_opc_tcp_is_refused_with_an_example() {
    assertThatThrownBy(() -> OpcUaSourceConfig.parse(Specs.endpoint("http://plc:4840").build()))
        .hasMessageContaining("sources[0].endpoint")
        .hasMessageContaining("opc.tcp://");
  }

  @Test
  void an_unknown_security_policy_lists_the_allowed_ones() {
    assertThatThrownBy(
            () ->
                OpcUaSourceConfig.parse(
                    Specs.endpoint(URL).set("security", Map.of("policy", "basic128")).build()))
        .hasMessageContaining("sources[0].security.policy")
        .hasMessageContaining("basic256sha256")
        .hasMessageContaining("best");
  }

  @Test
  void a_password_written_into_the_file_is_refused() {
    assertThatThrownBy(
            () ->
                OpcUaSourceConfig.parse(
                    Specs.endpoint(URL)
                        .set("auth", Map.of("username", "u", "password", "inline"))
                        .build()))
        .hasMessageContaining("sources[0].auth.password")
        .hasMessageContaining("{env: VARIABLE}")
        .hasMessageNotContaining("inline");
  }

  @Test
  void a_username_without_password_is_refused() {
    assertThatThrownBy(
            () ->
                OpcUaSourceConfig.parse(
                    Specs.endpoint(URL).set("auth", Map.of("username", "u")).build()))
        .hasMessageContaining("sources[0].auth.password");
  }

  @Test
  void a_browse_name_without_a_browse_start_node_is_refused() {
    assertThatThrownBy(
            () -> OpcUaSourceConfig.parse(Specs.endpoint(URL).browsed("cnc", "CNC-01").build()))
        .hasMessageContaining("inventory[0].address.browseName")
        .hasMessageContaining("browse");
  }

  @Test
  void a_device_needs_exactly_one_of_browse_name_or_node_ids() {
    assertThatThrownBy(
            () -> OpcUaSourceConfig.parse(Specs.endpoint(URL).device("d", Map.of()).build()))
        .hasMessageContaining("exactly one of browseName or nodeIds");
  }

  @Test
  void a_malformed_node_id_is_named() {
    assertThatThrownBy(
            () ->
                OpcUaSourceConfig.parse(
                    Specs.endpoint(URL)
                        .device("d", Map.of("nodeIds", Map.of("Speed", "ns=x;q=1")))
                        .build()))
        .hasMessageContaining("inventory[0].address.nodeIds.Speed")
        .hasMessageContaining("not an OPC UA NodeId");
  }

  @Test
  void a_bad_variable_pattern_is_named() {
    assertThatThrownBy(
            () ->
                OpcUaSourceConfig.parse(
                    Specs.endpoint(URL)
                        .set("browse", Map.of("startNode", "ns=2;s=D", "variables", "(["))
                        .build()))
        .hasMessageContaining("sources[0].browse.variables")
        .hasMessageContaining("regular expression");
  }

  @Test
  void mode_with_policy_none_is_refused() {
    assertThatThrownBy(
            () ->
                OpcUaSourceConfig.parse(
                    Specs.endpoint(URL)
                        .set("security", Map.of("policy", "none", "mode", "sign"))
                        .build()))
        .hasMessageContaining("sources[0].security.mode");
  }

  @Test
  void creating_an_adapter_does_no_io_and_reports_stopped(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    RecordingSink sink = new RecordingSink();
    var adapter =
        new OpcUaAdapterProvider()
            .create(
                Specs.endpoint("opc.tcp://192.0.2.1:4840/nowhere").build(),
                new AdapterContext(sink, Clock.systemUTC(), dir, Thread::new));
    assertThat(adapter.status().state()).isEqualTo(SourceStatus.State.STOPPED);
    assertThat(adapter.sourceId()).isEqualTo("plant-opcua");
    assertThat(dir).isEmptyDirectory();
    assertThat(sink.statuses()).isEmpty();
  }
}
