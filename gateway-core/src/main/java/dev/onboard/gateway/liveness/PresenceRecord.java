package dev.onboard.gateway.liveness;

import java.time.Instant;

/**
 * One device's presence in one minute of gateway time (DESIGN.md › The path of one sample). Minutes
 * in which the gateway was down have no record: that time is unknown, never online. Immutable.
 *
 * @param deviceId the inventory device
 * @param minuteStart the minute's first instant (UTC, on a whole minute)
 * @param observedMillis how much of the minute the gateway was running (60,000 except around a
 *     start)
 * @param onlineMillis how much of it the device was ONLINE; exact to within the liveness sweep
 *     interval when a disconnect lands just after the minute's end
 * @param goodSamples Good, live readings received in the minute
 * @param valueChanges readings whose value differed from the previous one of the same tag
 * @param maxClockSkewMillis the largest |receive time − source time| of those readings; 0 if none
 */
public record PresenceRecord(
    String deviceId,
    Instant minuteStart,
    long observedMillis,
    long onlineMillis,
    long goodSamples,
    long valueChanges,
    long maxClockSkewMillis) {}
