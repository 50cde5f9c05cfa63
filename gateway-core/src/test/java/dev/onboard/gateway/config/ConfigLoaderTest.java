package dev.onboard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.gateway.spi.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  private static final String VALID =
      """
      gateway:
        id: gw-1
        dataDir: state
      liveness:
        staleAfter: 2s
        offlineAfter: 6s
      sources:
        - id: plant-opcua
          protocol: opcua
          endpoint: opc.tcp://127.0.0.1:4840/onboard
          liveness: {staleAfter: 3s, offlineAfter: 9s}
        - id: plant-mqtt
          protocol: mqtt
          broker: tcp://127.0.0.1:1883
      inventory:
        enterprises:
          - {id: E001, name: 广州黄埔精工机械有限公司, district: huangpu}
        devices:
          - id: cnc-01
            enterprise: E001
            source: plant-opcua
            address: {browseName: CNC-01}
            identity: {serialNumber: SN-1001}
          - id: press-01
            enterprise: E001
            source: plant-mqtt
            address: {device: press-01}
            liveness: {offlineAfter: 30s}
      http:
        bind: 127.0.0.1:0
        tokens:
          operator: {env: OP_TOKEN}
      """;

  private GatewayConfig load(String yaml) throws Exception {
    Path file = dir.resolve("onboard.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(Map.of("OP_TOKEN", "s3cret-operator")::get).load(file);
  }

  private ConfigException error(String yaml) {
    return (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> load(yaml));
  }

  @Test
  void a_valid_file_gives_sources_devices_and_timeouts_with_the_most_specific_winning()
      throws Exception {
    GatewayConfig c = load(VALID);

    assertThat(c.gatewayId()).isEqualTo("gw-1");
    assertThat(c.dataDir()).isEqualTo(dir.resolve("state"));
    assertThat(c.sources())
        .extracting(SourceConfig::id)
        .containsExactly("plant-opcua", "plant-mqtt");
    assertThat(c.sources().get(0).settings().string("endpoint"))
        .isEqualTo("opc.tcp://127.0.0.1:4840/onboard");
    assertThat(c.sources().get(0).settings().keys()).containsExactly("endpoint");
    assertThat(c.devices().get(0).liveness())
        .isEqualTo(new LivenessTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(9)));
    assertThat(c.devices().get(1).liveness())
        .isEqualTo(new LivenessTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)));
    assertThat(c.devices().get(0).claimedIdentity()).containsEntry("serialNumber", "SN-1001");
    assertThat(c.enterprise("E001").orElseThrow().name()).isEqualTo("广州黄埔精工机械有限公司");
    assertThat(c.http().orElseThrow().tokens())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.role()).isEqualTo(Role.OPERATOR);
              assertThat(t.secret().reveal()).isEqualTo("s3cret-operator");
              assertThat(t.secret().toString()).doesNotContain("s3cret");
            });
  }

  @Test
  void a_missing_file_names_the_file_and_the_option_to_fix() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> new ConfigLoader().load(missing))
        .hasMessage(missing + ": (file): does not exist. Fix: check the path given to --config");
  }

  @Test
  void broken_yaml_names_the_line() {
    ConfigException e = error("gateway:\n  id: gw\n   bad: [\n");
    assertThat(e.key()).startsWith("line ");
    assertThat(e.getMessage()).contains("is not valid YAML");
  }

  @Test
  void a_misspelt_key_is_refused_with_a_suggestion() {
    ConfigException e = error(VALID.replace("  dataDir: state", "  dataDri: state"));
    assertThat(e.key()).isEqualTo("gateway.dataDri");
    assertThat(e.getMessage()).contains("unknown key").contains("did you mean 'dataDir'?");
  }

  @Test
  void a_device_of_an_unknown_enterprise_is_refused_naming_the_known_ones() {
    ConfigException e =
        error(
            VALID.replace(
                "enterprise: E001\n      source: plant-mqtt",
                "enterprise: E999\n      source: plant-mqtt"));
    assertThat(e.getMessage())
        .endsWith(
            "onboard.yaml: inventory.devices[1].enterprise: 'E999' is not in inventory.enterprises. Fix: add it there or use one of [E001]");
  }

  @Test
  void a_device_of_an_unknown_source_is_refused() {
    ConfigException e = error(VALID.replace("source: plant-mqtt", "source: plant-modbus"));
    assertThat(e.key()).isEqualTo("inventory.devices[1].source");
    assertThat(e.fix()).isEqualTo("use one of [plant-opcua, plant-mqtt]");
  }

  @Test
  void two_devices_with_one_id_are_refused() {
    ConfigException e = error(VALID.replace("- id: press-01", "- id: cnc-01"));
    assertThat(e.key()).isEqualTo("inventory.devices[1].id");
    assertThat(e.problem()).isEqualTo("'cnc-01' is used by an earlier device");
  }

  @Test
  void an_offline_timeout_not_longer_than_the_stale_one_is_refused() {
    ConfigException e = error(VALID.replace("offlineAfter: 30s", "offlineAfter: 1s"));
    assertThat(e.key()).isEqualTo("inventory.devices[1].liveness.offlineAfter");
    assertThat(e.fix()).isEqualTo("make offlineAfter longer than staleAfter, e.g. three times it");
  }

  @Test
  void a_duration_without_a_unit_is_refused_with_examples() {
    ConfigException e = error(VALID.replace("staleAfter: 2s", "staleAfter: 2"));
    assertThat(e.getMessage())
        .contains(
            "liveness.staleAfter: '2' is not a positive duration. Fix: write e.g. 500ms, 5s, 2m, 1h or PT5S");
  }

  @Test
  void a_token_written_into_the_file_is_refused_because_secrets_come_from_env_or_file() {
    ConfigException e =
        error(VALID.replace("operator: {env: OP_TOKEN}", "operator: hunter2hunter2"));
    assertThat(e.key()).isEqualTo("http.tokens.operator");
    assertThat(e.problem()).isEqualTo("secrets may not be written into the configuration");
    assertThat(e.getMessage()).doesNotContain("hunter2");
  }

  @Test
  void a_token_from_an_unset_variable_says_which_variable() {
    ConfigException e = error(VALID.replace("OP_TOKEN", "NOT_SET_ANYWHERE"));
    assertThat(e.problem()).isEqualTo("environment variable NOT_SET_ANYWHERE is not set");
  }

  @Test
  void a_token_file_is_read_and_trimmed() throws Exception {
    Path token = dir.resolve("operator.token");
    Files.writeString(token, "from-a-file\n");
    GatewayConfig c = load(VALID.replace("{env: OP_TOKEN}", "{file: " + token + "}"));
    assertThat(c.http().orElseThrow().tokens().get(0).secret().reveal()).isEqualTo("from-a-file");
  }

  @Test
  void an_http_section_without_tokens_is_refused_because_the_api_never_runs_open() {
    ConfigException e = error(VALID.replace("  tokens:\n    operator: {env: OP_TOKEN}\n", ""));
    assertThat(e.key()).isEqualTo("http.tokens");
    assertThat(e.problem()).isEqualTo("no token is configured, and the API never runs without one");
  }

  @Test
  void an_identity_key_the_equipment_never_reports_is_refused() {
    ConfigException e =
        error(VALID.replace("identity: {serialNumber: SN-1001}", "identity: {serial: SN-1001}"));
    assertThat(e.key()).isEqualTo("inventory.devices[0].identity.serial");
    assertThat(e.fix()).startsWith("did you mean 'serialNumber'?");
  }

  @Test
  void the_shipped_example_configuration_loads() throws IOException, ConfigException {
    Path example = Path.of("../docs/examples/onboard.yaml");
    assertThat(example).exists();
    GatewayConfig c =
        new ConfigLoader(
                Map.of(
                        "ONBOARD_OPERATOR_TOKEN",
                        "t",
                        "ONBOARD_AUDITOR_TOKEN",
                        "t",
                        "OPCUA_PASSWORD",
                        "p",
                        "INFLUX_PASSWORD",
                        "p")
                    ::get)
            .load(example);
    assertThat(c.devices()).isNotEmpty();
    assertThat(c.uplink().orElseThrow().database()).isEqualTo("onboard");
    assertThat(c.outbox().quotaBytes()).isEqualTo(1L << 30);
  }

  @Test
  void an_uplink_url_that_is_not_http_is_refused() {
    ConfigException e = error(VALID + "uplink: {url: influx.local, database: x}\n");
    assertThat(e.key()).isEqualTo("uplink.url");
    assertThat(e.fix()).isEqualTo("write e.g. http://10.0.0.5:8086");
  }

  @Test
  void an_outbox_quota_is_read_with_its_unit() throws Exception {
    assertThat(load(VALID + "outbox: {quota: 512MiB}\n").outbox().quotaBytes())
        .isEqualTo(512L << 20);
    assertThat(error(VALID + "outbox: {quota: lots}\n").fix())
        .isEqualTo("write e.g. 512MiB, 1GiB or 2000MB");
  }

  @Test
  void the_uplink_keeps_two_writes_in_flight_unless_told_and_refuses_more_than_eight()
      throws Exception {
    assertThat(load(VALID + "uplink: {url: \"http://127.0.0.1:8086\", database: x}\n"))
        .satisfies(c -> assertThat(c.uplink().orElseThrow().writers()).isEqualTo(2));
    assertThat(
            load(VALID + "uplink: {url: \"http://127.0.0.1:8086\", database: x, writers: 1}\n")
                .uplink()
                .orElseThrow()
                .writers())
        .isEqualTo(1);
    assertThat(
            error(VALID + "uplink: {url: \"http://127.0.0.1:8086\", database: x, writers: 9}\n")
                .key())
        .isEqualTo("uplink.writers");
  }

  @Test
  void the_uplink_lingers_a_second_unless_told_and_refuses_a_linger_past_a_minute()
      throws Exception {
    String uplink = VALID + "uplink: {url: \"http://127.0.0.1:8086\", database: x";
    assertThat(load(uplink + "}\n").uplink().orElseThrow().linger())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(load(uplink + ", linger: 250ms}\n").uplink().orElseThrow().linger())
        .isEqualTo(Duration.ofMillis(250));
    ConfigException tooLong = error(uplink + ", linger: 2m}\n");
    assertThat(tooLong.key()).isEqualTo("uplink.linger");
    assertThat(tooLong.getMessage()).contains("'2m' is outside 1ms to 1m");
    assertThat(error(uplink + ", linger: 0s}\n").key()).isEqualTo("uplink.linger");
  }

  @Test
  void a_device_s_onboarding_cost_is_read_in_yuan_and_a_bad_one_says_how_to_write_it()
      throws Exception {
    String withCost =
        VALID.replace(
            "identity: {serialNumber: SN-1001}",
            "identity: {serialNumber: SN-1001}\n      onboardingCostYuan: 1800.5");
    GatewayConfig c = load(withCost);
    assertThat(c.devices().get(0).onboardingCostYuan()).isEqualTo("1800.50");
    assertThat(c.devices().get(1).onboardingCostYuan()).as("no invoice, no cost").isNull();
    ConfigException e = error(withCost.replace("1800.5", "1800.555"));
    assertThat(e.key()).isEqualTo("inventory.devices[0].onboardingCostYuan");
    assertThat(e.fix()).startsWith("write the invoiced amount, e.g. 1800.00");
    assertThat(error(withCost.replace("1800.5", "-3")).getMessage())
        .contains("a cost cannot be negative");
  }

  @Test
  void an_enterprise_s_eligibility_attributes_are_read_under_the_meter_s_names() throws Exception {
    GatewayConfig c =
        load(
            VALID.replace(
                "district: huangpu}",
                "district: huangpu, independentLegalEntity: true, commitmentBroken: false,"
                    + " attributes: {security_refused: \"false\"}}"));
    assertThat(c.enterprises().get(0).attributes())
        .containsExactly(
            Map.entry("commitment_broken", "false"),
            Map.entry("independent_legal_entity", "true"),
            Map.entry("security_refused", "false"));
    ConfigException e =
        error(VALID.replace("district: huangpu}", "district: huangpu, attributes: {Bad-Key: x}}"));
    assertThat(e.key()).isEqualTo("inventory.enterprises[0].attributes.Bad-Key");
  }

  @Test
  void the_policy_is_p1_by_default_a_built_in_by_name_or_p1_changed_under_a_new_name()
      throws Exception {
    assertThat(load(VALID).policy().name()).isEqualTo("huangpu-device-2019");
    assertThat(load(VALID + "policy: huangpu-device-2019\n").policy())
        .isSameAs(dev.onboard.meter.policy.BuiltinPolicies.HUANGPU_DEVICE_2019);
    GatewayConfig demo =
        load(
            VALID
                + "policy:\n  base: huangpu-device-2019\n  name: demo-p1\n"
                + "  verification: {window: 3m, onlineRatio: 60%}\n");
    assertThat(demo.policy().name()).isEqualTo("demo-p1");
    assertThat(demo.policy().verification().window()).isEqualTo(Duration.ofMinutes(3));
    assertThat(demo.policy().perEnterpriseYearCap().toYuanString()).isEqualTo("100000.00");
    assertThat(error(VALID + "policy: foshan-voucher\n").getMessage())
        .contains("does not meter devices one by one");
    assertThat(
            error(VALID + "policy: {name: huangpu-device-2019, verification: {window: 3m}}\n")
                .fix())
        .startsWith("give the changed policy a name of its own");
    assertThat(error(VALID + "policy: {name: x, verification: {window: 90s}}\n").key())
        .isEqualTo("policy.verification.window");
  }
}
