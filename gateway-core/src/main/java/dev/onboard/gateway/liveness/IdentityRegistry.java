package dev.onboard.gateway.liveness;

import dev.onboard.gateway.spi.DeviceIdentity;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One identity belongs to one device (POLICIES.md › VERIFICATION 1): the first device whose
 * equipment reports an identity keeps it; any other device reporting the same one is flagged {@code
 * DUPLICATE_IDENTITY}, never silently accepted.
 *
 * <p>An identity's key is the most specific of: ProductInstanceUri; Manufacturer + SerialNumber;
 * Sparkplug group/edge node/device; MQTT client id. A server's ApplicationUri is shared by every
 * device on the server, so it never identifies a device alone.
 *
 * <p>Thread-safety: {@link #observe} is synchronized.
 */
public final class IdentityRegistry {

  private final Map<String, String> owners = new HashMap<>();

  IdentityRegistry() {}

  /**
   * Records who reports {@code identity}: flags the device {@code DUPLICATE_IDENTITY} when another
   * device reported it first, and clears that flag once the device reports an identity of its own.
   *
   * @return the status change to record, or null when the device's flags did not change
   */
  synchronized StateChange observe(
      String deviceId, DeviceIdentity identity, Map<String, DeviceRecord> devices, Instant at) {
    String key = key(identity);
    if (key == null) {
      return null;
    }
    String owner = owners.putIfAbsent(key, deviceId);
    DeviceRecord record = devices.get(deviceId);
    if (owner == null || owner.equals(deviceId)) {
      return record.clear(
          DeviceRecord.DUPLICATE_IDENTITY,
          "the device reports an identity of its own (" + key + ")",
          at);
    }
    return record.raise(
        DeviceRecord.DUPLICATE_IDENTITY, key + " is already reported by device " + owner, at);
  }

  /**
   * The identity that one device alone may have: ProductInstanceUri; else Manufacturer +
   * SerialNumber; else the Sparkplug ids; else the MQTT client id; null when none was reported.
   */
  public static String key(DeviceIdentity id) {
    if (id.get(DeviceIdentity.PRODUCT_INSTANCE_URI) != null) {
      return "productInstanceUri=" + id.get(DeviceIdentity.PRODUCT_INSTANCE_URI);
    }
    if (id.get(DeviceIdentity.SERIAL_NUMBER) != null) {
      String manufacturer = id.get(DeviceIdentity.MANUFACTURER);
      return "serialNumber="
          + id.get(DeviceIdentity.SERIAL_NUMBER)
          + (manufacturer == null ? "" : " manufacturer=" + manufacturer);
    }
    if (id.get(DeviceIdentity.SPARKPLUG_DEVICE) != null) {
      return "sparkplug="
          + id.get(DeviceIdentity.SPARKPLUG_GROUP)
          + "/"
          + id.get(DeviceIdentity.SPARKPLUG_EDGE_NODE)
          + "/"
          + id.get(DeviceIdentity.SPARKPLUG_DEVICE);
    }
    if (id.get(DeviceIdentity.CLIENT_ID) != null) {
      return "clientId=" + id.get(DeviceIdentity.CLIENT_ID);
    }
    return null;
  }
}
