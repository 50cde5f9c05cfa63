package dev.onboard.gateway.spi;

import java.util.List;
import java.util.Objects;

/**
 * One configured source (an OPC UA endpoint, an MQTT broker) and the inventory devices it serves.
 * Immutable.
 *
 * @param id the source's id, unique in the gateway
 * @param protocol the provider's {@link AdapterProvider#protocol()}
 * @param settings every key of the source's entry except {@code id}, {@code protocol} and {@code
 *     liveness}, which the gateway reads itself
 * @param devices the inventory devices whose {@code source} is this one, in file order
 */
public record SourceSpec(String id, String protocol, Settings settings, List<DeviceSpec> devices) {

  public SourceSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(settings, "settings");
    devices = List.copyOf(devices);
  }
}
