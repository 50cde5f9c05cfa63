package dev.onboard.adapters.mqtt;

import dev.onboard.adapters.mqtt.sparkplug.SparkplugDirectory;
import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.AdapterProvider;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.DeviceSpec;
import dev.onboard.gateway.spi.Settings;
import dev.onboard.gateway.spi.SourceAdapter;
import dev.onboard.gateway.spi.SourceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates {@code protocol: mqtt} adapters: validates the source's settings and each device's
 * address, without any I/O. Stateless and thread-safe.
 */
public final class MqttAdapterProvider implements AdapterProvider {

  static final String PROTOCOL = "mqtt";

  @Override
  public String protocol() {
    return PROTOCOL;
  }

  @Override
  public SourceAdapter create(SourceSpec spec, AdapterContext context) throws ConfigException {
    MqttSourceConfig config = MqttSourceConfig.parse(spec);
    List<DeviceSpec> json = new ArrayList<>();
    List<DeviceSpec> sparkplug = new ArrayList<>();
    for (DeviceSpec d : spec.devices()) {
      (SparkplugDirectory.isSparkplug(d) ? sparkplug : json).add(d);
    }
    if (!json.isEmpty() && config.json() == null) {
      Settings address = json.get(0).address();
      throw address.error(
          "device",
          "is a JSON device, but source "
              + spec.id()
              + " has no json: section (a Sparkplug address has edgeNode)",
          "add a json: section to the source, or write {group: G, edgeNode: E, device: D}");
    }
    DeviceDirectory directory =
        config.json() == null ? null : DeviceDirectory.build(json, config.json().topic());
    return new MqttAdapter(
        spec.id(), config, directory, SparkplugDirectory.build(sparkplug), context);
  }
}
