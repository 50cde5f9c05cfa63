package dev.onboard.gateway.liveness;

import dev.onboard.gateway.config.LivenessTimeouts;
import java.util.Map;

/**
 * An inventory device as liveness tracking needs it. Immutable.
 *
 * @param id the inventory device id
 * @param enterpriseId the claiming enterprise
 * @param sourceId the source serving it
 * @param protocol the source's protocol
 * @param timeouts its silence timeouts
 * @param claimedIdentity what the enterprise says the device is
 */
public record TrackedDevice(
    String id,
    String enterpriseId,
    String sourceId,
    String protocol,
    LivenessTimeouts timeouts,
    Map<String, String> claimedIdentity) {

  public TrackedDevice {
    claimedIdentity = Map.copyOf(claimedIdentity);
  }
}
