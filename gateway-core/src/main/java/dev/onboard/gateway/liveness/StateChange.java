package dev.onboard.gateway.liveness;

import java.time.Instant;

/**
 * A device moved from one state to another, or its flags changed. Immutable.
 *
 * @param deviceId the inventory device
 * @param from the state before
 * @param to the state after; equal to {@code from} when only a flag was raised or cleared
 * @param at when, by the gateway's clock
 * @param cause why, in words (e.g. "Good data", "no Good data for PT15S", "server state TEST",
 *     "flagged FROZEN_VALUES: …", "FROZEN_VALUES cleared: a tag changed value again")
 */
public record StateChange(
    String deviceId, DeviceState from, DeviceState to, Instant at, String cause) {}
