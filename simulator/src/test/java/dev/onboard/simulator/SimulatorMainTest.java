package dev.onboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.simulator.opcua.OpcUaDeviceKind;
import dev.onboard.simulator.opcua.OpcUaDeviceSpec;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig.Security;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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
