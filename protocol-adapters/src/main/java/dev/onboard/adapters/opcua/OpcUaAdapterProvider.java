package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.AdapterProvider;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.SourceAdapter;
import dev.onboard.gateway.spi.SourceSpec;

/**
 * Creates OPC UA adapters ({@code protocol: opcua}). Validates every setting and device address
 * without I/O; see {@link OpcUaSourceConfig} for the keys.
 *
 * <p>Thread-safety: stateless.
 */
public final class OpcUaAdapterProvider implements AdapterProvider {

  public static final String PROTOCOL = "opcua";

  @Override
  public String protocol() {
    return PROTOCOL;
  }

  @Override
  public SourceAdapter create(SourceSpec spec, AdapterContext context) throws ConfigException {
    return new OpcUaSourceAdapter(spec.id(), OpcUaSourceConfig.parse(spec), context);
  }
}
