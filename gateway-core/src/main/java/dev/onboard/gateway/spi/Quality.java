package dev.onboard.gateway.spi;

/**
 * The quality of one value as the equipment reported it (OPC UA StatusCode severity, or an MQTT
 * payload's quality field). Only {@link #GOOD} counts as evidence that a device is live.
 */
public enum Quality {
  GOOD,
  UNCERTAIN,
  BAD
}
