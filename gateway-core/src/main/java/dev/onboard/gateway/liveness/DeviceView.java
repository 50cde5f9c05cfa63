package dev.onboard.gateway.liveness;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one device for the API and the demo. Immutable.
 *
 * @param id the inventory device id
 * @param enterpriseId the claiming enterprise
 * @param sourceId the source serving it
 * @param protocol the source's protocol
 * @param state its state now
 * @param since when it entered that state
 * @param cause why it is in that state, in words
 * @param firstSeen first Good data or birth since the gateway started; null if never
 * @param lastSeen last Good data, birth or keep-alive; null if never
 * @param onlineRatio time ONLINE ÷ time since first seen, 0 to 1, rounded to 4 decimals; 0 if never
 *     seen. Not money: a double is fine here
 * @param goodSamples Good, live readings received since the gateway started
 * @param identity what the equipment said about itself (empty until it did)
 * @param flags problems to look at, e.g. {@code IDENTITY_MISMATCH serialNumber: claimed X,
 *     equipment says Y}
 */
public record DeviceView(
    String id,
    String enterpriseId,
    String sourceId,
    String protocol,
    DeviceState state,
    Instant since,
    String cause,
    Instant firstSeen,
    Instant lastSeen,
    double onlineRatio,
    long goodSamples,
    Map<String, String> identity,
    List<String> flags) {}
