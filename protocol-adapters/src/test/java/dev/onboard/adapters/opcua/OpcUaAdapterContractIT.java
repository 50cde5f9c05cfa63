package dev.onboard.adapters.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.DeviceIdentity;
import dev.onboard.gateway.spi.SourceAdapter;
import dev.onboard.gateway.testkit.AdapterContractKit;
import dev.onboard.simulator.opcua.OpcUaDeviceKind;
import dev.onboard.simulator.opcua.OpcUaDeviceSpec;
import dev.onboard.simulator.opcua.SimulatedOpcUaServer;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The gateway's adapter contract, against a simulated OPC UA server. */
class OpcUaAdapterContractIT extends AdapterContractKit {

  @Test
  void every_device_reports_the_identity_its_nameplate_and_server_show() {
    adapter().start();
    await()
        .atMost(patience())
        .until(() -> sink.events(DeviceEvent.IdentityObserved.class).size() >= devices().size());
    assertThat(sink.events(DeviceEvent.IdentityObserved.class))
        .extracting(e -> e.deviceId(), e -> e.identity().get(DeviceIdentity.SERIAL_NUMBER))
        .contains(
            tuple("cnc-1", "SN-CNC-01"),
            tuple("imm-1", "SN-IMM-01"),
            tuple("meter-1", "SN-METER-01"));
    assertThat(sink.events(DeviceEvent.IdentityObserved.class))
        .allSatisfy(
            e ->
                assertThat(e.identity().get(DeviceIdentity.APPLICATION_URI))
                    .isEqualTo("urn:onboard:simulator:contract"));
  }

  private SimulatedOpcUaServer server;

  @Override
  protected void startPeer() throws Exception {
    if (server == null) {
      server =
          new SimulatedOpcUaServer(
              SimulatedOpcUaServerConfig.of(
                  "contract",
                  List.of(
                      OpcUaDeviceSpec.of("CNC-01", OpcUaDeviceKind.CNC)
                          .withUpdateInterval(Duration.ofMillis(100)),
                      OpcUaDeviceSpec.of("IMM-01", OpcUaDeviceKind.INJECTION_MOULDING)
                          .withUpdateInterval(Duration.ofMillis(100)),
                      OpcUaDeviceSpec.of("METER-01", OpcUaDeviceKind.ENERGY_METER)
                          .withUpdateInterval(Duration.ofMillis(100)))));
    }
    server.start().get();
  }

  @Override
  protected void stopPeer() throws Exception {
    server.stop().get();
  }

  @Override
  protected void destroyPeer() throws Exception {
    server.close();
  }

  @Override
  protected SourceAdapter createAdapter(AdapterContext context) throws Exception {
    int ns = server.namespaceIndex();
    return new OpcUaAdapterProvider()
        .create(
            Specs.endpoint(server.endpointUrl())
                .noSecurity()
                .browse("ns=" + ns + ";s=Devices")
                .fastSubscription()
                .browsed("cnc-1", "CNC-01")
                .browsed("imm-1", "IMM-01")
                .device(
                    "meter-1",
                    Map.of(
                        "nodeIds",
                        Map.of(
                            "ActivePowerKw",
                            "ns=" + ns + ";s=METER-01/ActivePowerKw",
                            "EnergyKwh",
                            "nsu=urn:onboard:simulator;s=METER-01/EnergyKwh")))
                .build(),
            context);
  }

  @Override
  protected Set<String> devices() {
    return Set.of("cnc-1", "imm-1", "meter-1");
  }
}
