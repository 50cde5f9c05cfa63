package dev.onboard.simulator.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ServerState;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedOpcUaServerIT {

  private final SimulatedOpcUaServer server =
      new SimulatedOpcUaServer(
          SimulatedOpcUaServerConfig.of(
              "it",
              List.of(
                  new OpcUaDeviceSpec(
                      "CNC-01",
                      OpcUaDeviceKind.CNC,
                      "Haas",
                      "HAAS-0001",
                      "VF-2",
                      Duration.ofMillis(100)),
                  OpcUaDeviceSpec.of("METER-01", OpcUaDeviceKind.ENERGY_METER)
                      .withUpdateInterval(Duration.ofMillis(100)))));
  private OpcUaClient client;

  @BeforeEach
  void start() throws Exception {
    server.start().get();
    client = connect(server.endpointUrl());
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.disconnect();
    }
    server.close();
  }

  @Test
  void the_endpoint_url_names_loopback_the_chosen_port_and_the_path() {
    assertThat(server.endpointUrl()).isEqualTo("opc.tcp://127.0.0.1:" + server.port() + "/onboard");
    assertThat(server.port()).isPositive();
  }

  @Test
  void devices_sit_in_the_devices_folder_with_their_signals_and_nameplate() throws Exception {
    int ns = server.namespaceIndex();
    assertThat(client.getNamespaceTable().getIndex("urn:onboard:simulator").intValue())
        .isEqualTo(ns);

    List<String> devices = browseNames(new NodeId(ns, "Devices"));
    assertThat(devices).containsExactly("CNC-01", "METER-01");
    assertThat(browseNames(new NodeId(ns, "CNC-01")))
        .contains(
            "Manufacturer",
            "SerialNumber",
            "Model",
            "ProductInstanceUri",
            "SpindleSpeed",
            "SpindleLoad",
            "FeedRate");

    assertThat(readString(ns, "CNC-01/Manufacturer")).isEqualTo("Haas");
    assertThat(readString(ns, "CNC-01/SerialNumber")).isEqualTo("HAAS-0001");
    assertThat(readString(ns, "CNC-01/Model")).isEqualTo("VF-2");
    assertThat(readString(ns, "CNC-01/ProductInstanceUri"))
        .isEqualTo("urn:onboard:device:haas:VF-2:HAAS-0001");
  }

  @Test
  void signal_values_keep_changing_like_real_measurements() throws Exception {
    NodeId speed = new NodeId(server.namespaceIndex(), "CNC-01/SpindleSpeed");
    double first = readDouble(speed);
    await().atMost(Duration.ofSeconds(5)).until(() -> readDouble(speed) != first);
    double second = readDouble(speed);
    // Plausible spindle speeds around 8000 rpm, not a constant.
    assertThat(first).isBetween(5_000.0, 11_000.0);
    assertThat(second).isBetween(5_000.0, 11_000.0).isNotEqualTo(first);
  }

  @Test
  void a_stopped_device_reports_no_communication_and_recovers_when_started() throws Exception {
    NodeId speed = new NodeId(server.namespaceIndex(), "CNC-01/SpindleSpeed");
    server.stopDevice("CNC-01");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> read(speed).getStatusCode().getValue() == StatusCodes.Bad_NoCommunication);
    NodeId meter = new NodeId(server.namespaceIndex(), "METER-01/EnergyKwh");
    assertThat(read(meter).getStatusCode().isGood()).isTrue();

    server.startDevice("CNC-01");
    await().atMost(Duration.ofSeconds(5)).until(() -> read(speed).getStatusCode().isGood());
  }

  @Test
  void a_restart_reuses_the_same_port_and_the_server_state_can_be_set_to_test() throws Exception {
    String url = server.endpointUrl();
    client.disconnect();
    client = null;
    server.stop().get();
    assertThat(server.stop()).isCompleted();
    server.start().get();
    assertThat(server.start()).isCompleted();
    assertThat(server.endpointUrl()).isEqualTo(url);

    client = connect(url);
    server.setServerState(ServerState.Test);
    DataValue state = read(NodeIds.Server_ServerStatus_State);
    assertThat(state.getValue().getValue()).isEqualTo(ServerState.Test.getValue());
  }

  private static OpcUaClient connect(String url) throws Exception {
    OpcUaClient c =
        OpcUaClient.create(
            url,
            endpoints ->
                endpoints.stream()
                    .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
                    .findFirst(),
            transport -> {},
            config -> {});
    return c.connect();
  }

  private List<String> browseNames(NodeId node) throws Exception {
    BrowseResult result =
        client.browse(
            new BrowseDescription(
                node,
                BrowseDirection.Forward,
                NodeIds.HierarchicalReferences,
                true,
                UInteger.valueOf(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
                UInteger.valueOf(BrowseResultMask.All.getValue())));
    return Optional.ofNullable(result.getReferences()).map(List::of).orElse(List.of()).stream()
        .map(ReferenceDescription::getBrowseName)
        .map(q -> q.name())
        .toList();
  }

  private DataValue read(NodeId node) throws Exception {
    return client.readValue(0, TimestampsToReturn.Both, node);
  }

  private double readDouble(NodeId node) throws Exception {
    return (Double) read(node).getValue().getValue();
  }

  private String readString(int ns, String id) throws Exception {
    return (String) read(new NodeId(ns, id)).getValue().getValue();
  }
}
