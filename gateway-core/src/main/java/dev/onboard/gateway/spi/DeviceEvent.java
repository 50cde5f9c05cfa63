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

  /**
   * A problem seen on the device that the gateway must show, e.g. a malformed payload. Send it once
   * per episode: when the problem appears, not for every value that shows it.
   */
  record Flagged(String deviceId, Instant time, Flag flag, String detail) implements DeviceEvent {}

  /**
   * The condition behind a {@link Flag#condition() condition} flag is gone: values change again,
   * every tag is Good again, the clock is back within tolerance, the server serves data again. The
   * gateway removes the flag and records the clearing with its time, as it records the raising.
   *
   * <p>Who may send it: only the adapter serving the device, and only for a flag it raised itself
   * and has seen go away. A flag that records a fact ({@code MALFORMED_PAYLOAD}, {@code
   * REPLAYED_SEQUENCE}, {@code SEQUENCE_GAP}) cannot be cleared: constructing this event for one
   * throws, because the fact stays true after the next good message.
   *
   * @param detail why it cleared, in words (e.g. "a tag changed value again")
   * @throws IllegalArgumentException if {@code flag} is not a condition
   */
  record FlagCleared(String deviceId, Instant time, Flag flag, String detail)
      implements DeviceEvent {
    public FlagCleared {
      if (!flag.condition()) {
        throw new IllegalArgumentException(
            flag + " records a fact, not a condition: it is never cleared by the adapter");
      }
    }
  }

  /**
   * Problems an adapter may flag on a device: either a condition that holds now and can go away
   * ({@link #condition()}: cleared by {@link FlagCleared}), or a fact that happened and stays
   * recorded.
   */
  enum Flag {
    /** Fact: a payload could not be read. */
    MALFORMED_PAYLOAD(false),
    /** Condition: the device's source timestamps are off the gateway clock beyond tolerance. */
    CLOCK_SKEW(true),
    /** Fact: a message came again with a sequence number already seen. */
    REPLAYED_SEQUENCE(false),
    /**
     * Fact: messages went missing: a Sparkplug edge node's seq skipped numbers and the missing ones
     * never arrived within the reorder timeout.
     */
    SEQUENCE_GAP(false),
    /** Condition: the server is not serving data (ServerState not RUNNING, or ServiceLevel low). */
    SERVER_NOT_RUNNING(true),
    /** Condition: some tag's last value is not Good. */
    BAD_QUALITY(true),
    /**
     * Condition: no tag of the device changed value (or source timestamp) for longer than the
     * adapter's tolerance while its connection was up: the equipment may be stuck, so keep-alives
     * no longer count for it.
     */
    FROZEN_VALUES(true);

    private final boolean condition;

    Flag(boolean condition) {
      this.condition = condition;
    }

    /** Whether the flag describes a current condition that {@link FlagCleared} may clear. */
    public boolean condition() {
      return condition;
    }
  }
}
