package dev.onboard.simulator.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.onboard.simulator.FactorySpec;
import dev.onboard.simulator.Fault;
import dev.onboard.simulator.SimulatedFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scenario file drives a running factory: faults happen at their times, by name. */
class OpcUaScenarioIT {

  @TempDir Path dir;

  private final SimulatedFactory factory =
      new SimulatedFactory(
          new FactorySpec(
              List.of(
                  SimulatedOpcUaServerConfig.of(
                      "plant-1",
                      List.of(
                          OpcUaDeviceSpec.of("CNC-0001", OpcUaDeviceKind.CNC),
                          OpcUaDeviceSpec.of("CNC-0002", OpcUaDeviceKind.CNC)))),
              0,
              List.of(),
              1L));

  @AfterEach
  void close() {
    factory.close();
  }

  @Test
  void faults_of_a_scenario_file_happen_in_order_at_their_times() throws Exception {
    factory.start();
    SimulatedOpcUaServer server = factory.opcua("plant-1");
    Path file = dir.resolve("scenario.txt");
    Files.writeString(
        file,
        "0s    opcua plant-1/CNC-0002 same-serial-as CNC-0001\n"
            + "500ms opcua plant-1          stop\n"
            + "1500ms opcua plant-1         start\n");
    factory.schedule(Fault.readScenario(file));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.serialNumber("CNC-0002").equals("SN-CNC-0001"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !server.isRunning());
    await().atMost(Duration.ofSeconds(30)).until(server::isRunning);
    assertThat(server.serialNumber("CNC-0002"))
        .as("faults survive a restart")
        .isEqualTo("SN-CNC-0001");
  }

  @Test
  void a_scenario_aiming_at_something_that_does_not_exist_is_refused_before_anything_runs()
      throws Exception {
    Path file = dir.resolve("typo.txt");
    Files.writeString(file, "0s opcua plant-1 stop\n5s opcua plant-1/CNC-0009 freeze\n");
    assertThatThrownBy(() -> factory.schedule(Fault.readScenario(file)))
        .hasMessageContaining("typo.txt:2")
        .hasMessageContaining("no device 'CNC-0009' on plant-1");
    assertThatThrownBy(() -> factory.inject("opcua plant-1/CNC-0001 melt"))
        .hasMessageContaining("unknown device fault 'melt'")
        .hasMessageContaining("freeze");
    assertThatThrownBy(() -> factory.inject("modbus plant-1 stop"))
        .hasMessageContaining("no faults for protocol 'modbus'");
  }
}
