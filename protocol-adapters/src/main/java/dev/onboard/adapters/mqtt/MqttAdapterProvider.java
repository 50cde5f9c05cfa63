package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.AdapterProvider;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.SourceAdapter;
import dev.onboard.gateway.spi.SourceSpec;

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
    DeviceDirectory directory = DeviceDirectory.build(spec.devices(), config.json().topic());
    return new MqttAdapter(spec.id(), config, directory, context);
  }
}
