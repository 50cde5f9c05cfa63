package dev.onboard.gateway.spi;

/**
 * The quality of one value as the equipment reported it (OPC UA StatusCode severity, or an MQTT
 * payload's quality field), or {@link #STALE} when the gateway knows it is no longer current. Only
 * {@link #GOOD} counts as evidence that a device is live.
 */
public enum Quality {
  GOOD,
  UNCERTAIN,
  BAD,
  /**
   * The device's last known value, repeated by the adapter at the moment the device was declared
   * dead (a Sparkplug NDEATH or DDEATH): what it last was, no longer what it is. Never live.
   */
  STALE
}
