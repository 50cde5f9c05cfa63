package dev.onboard.simulator;

import dev.onboard.simulator.mqtt.DeviceKind;
import dev.onboard.simulator.mqtt.MqttDeviceSpec;
import dev.onboard.simulator.mqtt.sparkplug.EdgeNodeSpec;
import dev.onboard.simulator.opcua.OpcUaDeviceKind;
import dev.onboard.simulator.opcua.OpcUaDeviceSpec;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a simulated factory contains. Immutable.
 *
 * @param opcuaServers OPC UA servers, each with its devices
 * @param mqttPort the embedded broker's port; 0 picks a free one
 * @param mqttDevices MQTT devices publishing JSON through the embedded broker
 * @param seed makes every signal reproducible
 * @param sparkplugNodes Sparkplug B edge nodes with their devices
 * @param mqttBroker an external broker's URL, e.g. {@code tcp://127.0.0.1:1883}, for the MQTT
 *     devices and edge nodes; null for the embedded broker on {@code mqttPort}
 */
public record FactorySpec(
    List<SimulatedOpcUaServerConfig> opcuaServers,
    int mqttPort,
    List<MqttDeviceSpec> mqttDevices,
    long seed,
    List<EdgeNodeSpec> sparkplugNodes,
    String mqttBroker) {

  /** The demo's seed: every run of the demo shows the same signals. */
  public static final long DEMO_SEED = 20_261_122L;

  public FactorySpec {
    opcuaServers = List.copyOf(opcuaServers);
    mqttDevices = List.copyOf(mqttDevices);
    sparkplugNodes = List.copyOf(sparkplugNodes);
    Objects.checkIndex(mqttPort, 65_536);
  }

  /** OPC UA servers and JSON devices on the embedded broker; no Sparkplug edge nodes. */
  public FactorySpec(
      List<SimulatedOpcUaServerConfig> opcuaServers,
      int mqttPort,
      List<MqttDeviceSpec> mqttDevices,
      long seed) {
    this(opcuaServers, mqttPort, mqttDevices, seed, List.of(), null);
  }

  /** True if anything speaks MQTT: JSON devices or Sparkplug edge nodes. */
  public boolean hasMqtt() {
    return !mqttDevices.isEmpty() || !sparkplugNodes.isEmpty();
  }

  /**
   * The demo factory: one OPC UA server ({@code plant-1}) with five machines of enterprise E001,
   * and five MQTT devices of enterprise E002, all changing every 500 ms to 1 s.
   *
   * @param opcuaPort the OPC UA server's port; 0 picks a free one
   * @param mqttPort the broker's port; 0 picks a free one
   */
  public static FactorySpec demo(int opcuaPort, int mqttPort) {
    Duration fast = Duration.ofMillis(500);
    List<OpcUaDeviceSpec> machines =
        List.of(
            new OpcUaDeviceSpec(
                "CNC-01",
                OpcUaDeviceKind.CNC,
                "Guangzhou Numerical",
                "GNC-980TDi-24001",
                "GSK 980TDi",
                fast),
            new OpcUaDeviceSpec(
                "CNC-02",
                OpcUaDeviceKind.CNC,
                "Guangzhou Numerical",
                "GNC-980TDi-24002",
                "GSK 980TDi",
                fast),
            new OpcUaDeviceSpec(
                "IMM-01",
                OpcUaDeviceKind.INJECTION_MOULDING,
                "Haitian",
                "HT-MA2500-3301",
                "MA2500/1000",
                fast),
            new OpcUaDeviceSpec(
                "AC-01",
                OpcUaDeviceKind.AIR_COMPRESSOR,
                "Kaishan",
                "KS-LGCY-7710",
                "LGCY-22/8",
                fast),
            new OpcUaDeviceSpec(
                "EM-01", OpcUaDeviceKind.ENERGY_METER, "Acrel", "ACR-DTSD-5521", "DTSD1352", fast));
    List<MqttDeviceSpec> sensors =
        List.of(
            new MqttDeviceSpec(
                "E002", "press-01", "SN-PRESS-0001", Duration.ofSeconds(1), DeviceKind.PRESS),
            new MqttDeviceSpec(
                "E002", "press-02", "SN-PRESS-0002", Duration.ofSeconds(1), DeviceKind.PRESS),
            new MqttDeviceSpec(
                "E002", "cnc-11", "SN-CNC-0011", Duration.ofSeconds(1), DeviceKind.CNC),
            new MqttDeviceSpec(
                "E002", "meter-01", "SN-METER-0001", Duration.ofSeconds(1), DeviceKind.METER),
            new MqttDeviceSpec(
                "E002", "meter-02", "SN-METER-0002", Duration.ofSeconds(1), DeviceKind.METER));
    return new FactorySpec(
        List.of(SimulatedOpcUaServerConfig.of("plant-1", machines).withPort(opcuaPort)),
        mqttPort,
        sensors,
        DEMO_SEED);
  }
}
