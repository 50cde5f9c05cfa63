package dev.onboard.gateway.spi;

import java.time.Instant;

/**
 * Something that happened to a device, other than a value. Immutable; {@code time} is from the
 * adapter's clock.
 */
public sealed interface DeviceEvent {

  String deviceId();

  Instant time();

  /** The device became reachable (session up and its nodes readable; MQTT status "online"). */
  record Connected(String deviceId, Instant time) implements DeviceEvent {}

  /**
   * The device is not reachable, or not in a state that counts: the cause says why, in words (e.g.
   * "session closed", "server state TEST", "last will received").
   */
  record Disconnected(String deviceId, Instant time, String cause) implements DeviceEvent {}

  /**
   * The adapter confirms the device is live without a new value: an OPC UA subscription keep-alive
   * while the device's last values are Good, for equipment whose values rarely change.
   */
  record Alive(String deviceId, Instant time) implements DeviceEvent {}

  /** Sparkplug DBIRTH/NBIRTH, or a JSON device's birth message. */
  record Birth(String deviceId, Instant time) implements DeviceEvent {}

  /** Sparkplug DDEATH/NDEATH. */
  record Death(String deviceId, Instant time, String cause) implements DeviceEvent {}

  /** What the equipment said about itself; sent on connect and whenever it changes. */
  record IdentityObserved(String deviceId, Instant time, DeviceIdentity identity)
      implements DeviceEvent {}

  /** A problem seen on the device that the gateway must show, e.g. a malformed payload. */
  record Flagged(String deviceId, Instant time, Flag flag, String detail) implements DeviceEvent {}

  /** Problems an adapter may flag on a device. */
  enum Flag {
    MALFORMED_PAYLOAD,
    CLOCK_SKEW,
    REPLAYED_SEQUENCE,
    /**
     * Messages went missing: a Sparkplug edge node's seq skipped numbers and the missing ones never
     * arrived within the reorder timeout.
     */
    SEQUENCE_GAP,
    SERVER_NOT_RUNNING,
    BAD_QUALITY,
    /**
     * No tag of the device changed value (or source timestamp) for longer than the adapter's
     * tolerance while its connection was up: the equipment may be stuck, so keep-alives no longer
     * count for it.
     */
    FROZEN_VALUES
  }
}
