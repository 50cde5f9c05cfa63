package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.SourceAdapter;
import dev.onboard.gateway.testkit.AdapterContractKit;
import dev.onboard.simulator.mqtt.DeviceKind;
import dev.onboard.simulator.mqtt.MqttDeviceSpec;
import dev.onboard.simulator.mqtt.SimulatedMqttFleet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The adapter contract, MQTT 5 against Debian's Mosquitto started by the test. */
class MosquittoContractIT extends AdapterContractKit {

  private static final List<MqttDeviceSpec> SPECS =
      SimulatedMqttFleet.specs("E001", "cnc", 3, Duration.ofMillis(200), DeviceKind.CNC);

  private Mosquitto mosquitto;
  private SimulatedMqttFleet fleet;

  @Test
  void every_device_reports_the_serial_number_its_payloads_carry() {
    adapter().start();
    MqttSources.assertEachDeviceReportsItsSerial(sink, SPECS, patience());
  }

  @Override
  protected void startPeer() throws Exception {
    if (mosquitto == null) {
      mosquitto = new Mosquitto();
      mosquitto.start();
      fleet = new SimulatedMqttFleet(mosquitto.url(), SPECS, 7);
      fleet.start();
    } else {
      mosquitto.start();
    }
  }

  @Override
  protected void stopPeer() throws Exception {
    mosquitto.stop();
  }

  @Override
  protected void destroyPeer() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    if (mosquitto != null) {
      mosquitto.close();
    }
  }

  @Override
  protected SourceAdapter createAdapter(AdapterContext context) throws Exception {
    return new MqttAdapterProvider()
        .create(
            MqttSources.source(
                "plant-mosquitto",
                MqttSources.jsonSettings(mosquitto.url(), "5"),
                SPECS.stream().map(MqttDeviceSpec::name).toList()),
            context);
  }

  @Override
  protected Set<String> devices() {
    return SPECS.stream().map(s -> MqttSources.deviceId(s.name())).collect(Collectors.toSet());
  }
}
