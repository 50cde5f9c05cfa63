package dev.onboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.onboard.simulator.mqtt.DeviceKind;
import dev.onboard.simulator.mqtt.sparkplug.EdgeNodeSpec;
import dev.onboard.simulator.mqtt.sparkplug.SparkplugDeviceSpec;
import dev.onboard.simulator.opcua.OpcUaDeviceKind;
import dev.onboard.simulator.opcua.OpcUaDeviceSpec;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig.Security;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulatorMainTest {

  @TempDir Path dir;

  private static SimulatorMain parse(String... args) {
    SimulatorMain main = new SimulatorMain();
    new CommandLine(main).parseArgs(args);
    return main;
  }

  @Test
  void without_fleet_flags_the_demo_factory_runs_with_its_mqtt_devices() {
    FactorySpec spec = parse().spec();
    assertThat(spec.opcuaServers()).hasSize(1);
    assertThat(spec.opcuaServers().get(0).devices()).hasSize(5);
    assertThat(spec.mqttDevices()).isNotEmpty();
  }

  @Test
  void fleet_flags_make_any_number_of_servers_and_devices_with_serials_unique_across_servers() {
    FactorySpec spec =
        parse(
                "--opcua-servers",
                "3",
                "--opcua-devices",
                "8",
                "--opcua-tags",
                "12",
                "--opcua-interval",
                "250ms",
                "--opcua-kinds",
                "cnc,energy-meter",
                "--opcua-security",
                "none,aes256-sha256-rsapss-sign-and-encrypt",
                "--opcua-port",
                "0",
                "--opcua-only")
            .spec();
    assertThat(spec.mqttDevices()).isEmpty();
    assertThat(spec.opcuaServers())
        .extracting(SimulatedOpcUaServerConfig::name)
        .containsExactly("plant-1", "plant-2", "plant-3");
    List<OpcUaDeviceSpec> all =
        spec.opcuaServers().stream().flatMap(s -> s.devices().stream()).toList();
    assertThat(all).hasSize(24);
    assertThat(all.stream().map(OpcUaDeviceSpec::serialNumber).distinct()).hasSize(24);
    assertThat(all.stream().map(OpcUaDeviceSpec::productInstanceUri).distinct()).hasSize(24);
    OpcUaDeviceSpec first = spec.opcuaServers().get(1).devices().get(0);
    assertThat(first.name()).isEqualTo("CNC-0001");
    assertThat(first.serialNumber()).isEqualTo("CNC-02-00001");
    assertThat(first.extraSignals()).isEqualTo(7);
    assertThat(first.updateInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(spec.opcuaServers().get(0).devices().get(1).kind())
        .isEqualTo(OpcUaDeviceKind.ENERGY_METER);
    assertThat(spec.opcuaServers().get(0).security())
        .isEqualTo(Set.of(Security.NONE, Security.AES256_SHA256_RSAPSS_SIGN_AND_ENCRYPT));
  }

  @Test
  void sparkplug_flags_add_n_edge_nodes_of_m_devices_of_the_kinds_in_turn_next_to_the_demo() {
    FactorySpec spec =
        parse(
                "--sparkplug-nodes",
                "3",
                "--sparkplug-devices",
                "4",
                "--sparkplug-kinds",
                "meter,press",
                "--sparkplug-interval",
                "250ms",
                "--sparkplug-group",
                "site-a")
            .spec();
    assertThat(spec.opcuaServers()).hasSize(1);
    assertThat(spec.mqttDevices()).isNotEmpty();
    assertThat(spec.mqttBroker()).isNull();
    assertThat(spec.sparkplugNodes())
        .extracting(EdgeNodeSpec::edgeNode)
        .containsExactly("edge-01", "edge-02", "edge-03");
    EdgeNodeSpec second = spec.sparkplugNodes().get(1);
    assertThat(second.group()).isEqualTo("site-a");
    assertThat(second.interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(second.devices())
        .extracting(SparkplugDeviceSpec::name, SparkplugDeviceSpec::kind)
        .containsExactly(
            tuple("edge-02-d01", DeviceKind.METER),
            tuple("edge-02-d02", DeviceKind.PRESS),
            tuple("edge-02-d03", DeviceKind.METER),
            tuple("edge-02-d04", DeviceKind.PRESS));
  }

  @Test
  void sparkplug_only_on_an_external_broker_starts_no_opcua_server_and_no_json_device() {
    FactorySpec spec =
        parse("--sparkplug-only", "--sparkplug-nodes", "2", "--mqtt-broker", "tcp://127.0.0.1:1883")
            .spec();
    assertThat(spec.opcuaServers()).isEmpty();
    assertThat(spec.mqttDevices()).isEmpty();
    assertThat(spec.mqttBroker()).isEqualTo("tcp://127.0.0.1:1883");
    assertThat(spec.sparkplugNodes()).hasSize(2);
    assertThat(spec.sparkplugNodes().get(0).devices()).hasSize(2);
  }

  @Test
  void sparkplug_flags_that_cannot_work_are_refused_with_what_to_do() {
    assertThatThrownBy(() -> parse("--sparkplug-only").spec())
        .hasMessageContaining("--sparkplug-nodes");
    assertThatThrownBy(() -> parse("--sparkplug-devices", "3").spec())
        .hasMessageContaining("need --sparkplug-nodes");
    assertThatThrownBy(() -> parse("--opcua-only", "--sparkplug-nodes", "1").spec())
        .hasMessageContaining("--opcua-only");
    assertThatThrownBy(() -> parse("--sparkplug-nodes", "1", "--mqtt-broker", "localhost").spec())
        .hasMessageContaining("tcp://");
    assertThatThrownBy(() -> parse("--sparkplug-nodes", "1", "--sparkplug-kinds", "toaster").spec())
        .hasMessageContaining("toaster")
        .hasMessageContaining("press");
  }

  @Test
  void sparkplug_faults_are_checked_when_the_scenario_is_loaded() {
    FactorySpec spec = parse("--sparkplug-only", "--sparkplug-nodes", "2").spec();
    try (SimulatedFactory factory = new SimulatedFactory(spec)) {
      accepted(
          factory,
          "sparkplug edge-01 kill",
          "sparkplug edge-01 skew -30s",
          "sparkplug edge-02/* malformed wrong-type",
          "sparkplug edge-02/edge-02-d02 same-serial-as edge-01-d01");
      refused(factory, "sparkplug edge-07 kill")
          .hasMessageContaining("scenario.txt:3")
          .hasMessageContaining("edge-01");
      refused(factory, "sparkplug edge-01 serial X")
          .hasMessageContaining("device faults need node/device");
      refused(factory, "sparkplug edge-01/edge-01-d01 malformed huge")
          .hasMessageContaining("not-protobuf");
      refused(factory, "sparkplug edge-01 skip-seq x").hasMessageContaining("'x' is not a count");
    }
  }

  @Test
  void json_device_faults_are_checked_when_the_scenario_is_loaded() {
    FactorySpec demo = parse().spec();
    FactorySpec spec = new FactorySpec(List.of(), 0, demo.mqttDevices(), demo.seed());
    try (SimulatedFactory factory = new SimulatedFactory(spec)) {
      accepted(
          factory,
          "mqtt press-01 kill",
          "mqtt * skew -2s",
          "mqtt meter-02 same-serial-as meter-01",
          "mqtt cnc-11 malformed wrong-type");
      refused(factory, "mqtt press-09 kill").hasMessageContaining("press-01");
      refused(factory, "mqtt * melt").hasMessageContaining("unknown MQTT device fault 'melt'");
      refused(factory, "mqtt * malformed huge").hasMessageContaining("not-json");
      refused(factory, "mqtt * skew").hasMessageContaining("takes");
    }
  }

  private static void accepted(SimulatedFactory factory, String... faults) {
    factory.check(
        Arrays.stream(faults).map(f -> Fault.parse("1h " + f, "scenario.txt:1")).toList());
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> refused(
      SimulatedFactory factory, String fault) {
    return assertThatThrownBy(
        () -> factory.check(List.of(Fault.parse("1h " + fault, "scenario.txt:3"))));
  }

  @Test
  void faults_come_from_the_scenario_file_then_the_fault_flags_in_one_syntax() throws Exception {
    Path file = dir.resolve("scenario.txt");
    Files.writeString(
        file,
        "# at  protocol target          fault\n"
            + "10s   opcua    plant-1/CNC-0001 freeze   # a stuck PLC\n"
            + "\n"
            + "1m    opcua    plant-1          restart 5s\n");
    List<Fault> faults =
        parse("--scenario", file.toString(), "--fault", "500ms opcua plant-1 state TEST")
            .scenario();
    assertThat(faults)
        .extracting(Fault::at, Fault::what, Fault::origin)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Duration.ofSeconds(10), "opcua plant-1/CNC-0001 freeze", "scenario.txt:2"),
            org.assertj.core.groups.Tuple.tuple(
                Duration.ofMinutes(1), "opcua plant-1 restart 5s", "scenario.txt:4"),
            org.assertj.core.groups.Tuple.tuple(
                Duration.ofMillis(500), "opcua plant-1 state TEST", "--fault"));
  }

  @Test
  void a_malformed_fault_line_names_where_it_is_and_the_form_it_needs() throws Exception {
    Path file = dir.resolve("bad.txt");
    Files.writeString(file, "10s opcua plant-1/CNC-0001 freeze\nsoon opcua plant-1 stop\n");
    assertThatThrownBy(() -> parse("--scenario", file.toString()).scenario())
        .hasMessageContaining("bad.txt:2")
        .hasMessageContaining("'soon' is not a time");
    assertThatThrownBy(() -> Fault.parse("10s opcua plant-1", "--fault"))
        .hasMessageContaining("needs AT PROTOCOL TARGET FAULT");
  }
}
