package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.SourceAdapter;
import dev.onboard.gateway.testkit.AdapterContractKit;
import dev.onboard.simulator.mqtt.DeviceKind;
import dev.onboard.simulator.mqtt.EmbeddedBroker;
import dev.onboard.simulator.mqtt.MqttDeviceSpec;
import dev.onboard.simulator.mqtt.SimulatedMqttFleet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The adapter contract, MQTT 3.1.1 against the simulator's embedded broker (Moquette). */
class MqttAdapterContractIT extends AdapterContractKit {

  private static final List<MqttDeviceSpec> SPECS =
      SimulatedMqttFleet.specs("E001", "press", 3, Duration.ofMillis(200), DeviceKind.PRESS);

  private EmbeddedBroker broker;
  private SimulatedMqttFleet fleet;

  @Test
  void every_device_reports_the_serial_number_its_payloads_carry() {
    adapter().start();
    MqttSources.assertEachDeviceReportsItsSerial(sink, SPECS, patience());
  }

  @Override
  protected void startPeer() {
    if (broker == null) {
      broker = new EmbeddedBroker();
      broker.start().join();
      fleet = new SimulatedMqttFleet(broker.url(), SPECS, 42);
      fleet.start();
    } else {
      broker.start().join();
    }
  }

  @Override
  protected void stopPeer() {
    broker.stop().join();
  }

  @Override
  protected void destroyPeer() {
    if (fleet != null) {
      fleet.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Override
  protected SourceAdapter createAdapter(AdapterContext context) throws Exception {
    return new MqttAdapterProvider()
        .create(
            MqttSources.source(
                "plant-mqtt",
                MqttSources.jsonSettings(broker.url(), "3.1.1"),
                SPECS.stream().map(MqttDeviceSpec::name).toList()),
            context);
  }

  @Override
  protected Set<String> devices() {
    return SPECS.stream().map(s -> MqttSources.deviceId(s.name())).collect(Collectors.toSet());
  }
}
