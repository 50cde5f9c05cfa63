package dev.onboard.gateway.spi;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a device said about itself, read from the equipment and never from configuration.
 *
 * <p>Attribute keys are the constants below; an adapter puts only those it could read, and never an
 * empty string (an empty nameplate field counts as missing). Immutable and thread-safe.
 *
 * @param attributes observed identity attributes, sorted by key
 */
public record DeviceIdentity(Map<String, String> attributes) {

  /** OPC UA: the server's ApplicationUri. */
  public static final String APPLICATION_URI = "applicationUri";

  /** OPC UA: SHA-1 thumbprint of the server certificate, lower-case hex. */
  public static final String CERTIFICATE_THUMBPRINT = "certificateThumbprint";

  /** OPC UA DI nameplate, or a serial carried in an MQTT birth/JSON payload. */
  public static final String MANUFACTURER = "manufacturer";

  public static final String SERIAL_NUMBER = "serialNumber";
  public static final String MODEL = "model";
  public static final String PRODUCT_INSTANCE_URI = "productInstanceUri";

  /** MQTT: the device's client id. */
  public static final String CLIENT_ID = "clientId";

  /** Sparkplug B ids. */
  public static final String SPARKPLUG_GROUP = "sparkplugGroup";

  public static final String SPARKPLUG_EDGE_NODE = "sparkplugEdgeNode";
  public static final String SPARKPLUG_DEVICE = "sparkplugDevice";

  public DeviceIdentity {
    TreeMap<String, String> copy = new TreeMap<>();
    attributes.forEach(
        (k, v) -> {
          if (v != null && !v.isBlank()) {
            copy.put(k, v);
          }
        });
    attributes = java.util.Collections.unmodifiableSortedMap(copy);
  }

  public String get(String key) {
    return attributes.get(key);
  }

  public boolean isEmpty() {
    return attributes.isEmpty();
  }
}
