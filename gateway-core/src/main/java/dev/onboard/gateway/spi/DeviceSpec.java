package dev.onboard.gateway.spi;

import java.util.Objects;

/**
 * One inventory device as its adapter sees it. Immutable.
 *
 * @param id the inventory device id, unique in the gateway
 * @param enterpriseId the enterprise that claims the device
 * @param address where the device is on its source, protocol-specific (e.g. an OPC UA browse name
 *     or node ids; an MQTT topic placeholder value); the adapter validates it in {@link
 *     AdapterProvider#create}
 */
public record DeviceSpec(String id, String enterpriseId, Settings address) {

  public DeviceSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(enterpriseId, "enterpriseId");
    Objects.requireNonNull(address, "address");
  }
}
