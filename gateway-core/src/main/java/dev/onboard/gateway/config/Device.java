package dev.onboard.gateway.config;

import dev.onboard.gateway.spi.Settings;
import java.util.Map;
import java.util.Objects;

/**
 * An inventory device: which enterprise claims it, which source serves it, and what identity the
 * enterprise says it has. Immutable.
 *
 * @param id unique in the gateway
 * @param enterpriseId an {@link Enterprise#id()} of the inventory
 * @param sourceId a {@link SourceConfig#id()} of the configuration
 * @param address where the device is on its source; the source's adapter validates it
 * @param claimedIdentity identity attributes the enterprise claims (keys of {@link
 *     dev.onboard.gateway.spi.DeviceIdentity}); checked against what the equipment reports
 * @param liveness the device's silence timeouts
 * @param onboardingCostYuan the invoiced cost of putting it on the platform, in yuan with two
 *     decimals (e.g. {@code 1800.00}); {@code null} when there is no cost evidence, which the meter
 *     pays 0 ("no cost evidence"), never a guess
 */
public record Device(
    String id,
    String enterpriseId,
    String sourceId,
    Settings address,
    Map<String, String> claimedIdentity,
    LivenessTimeouts liveness,
    String onboardingCostYuan) {

  public Device {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(enterpriseId, "enterpriseId");
    Objects.requireNonNull(sourceId, "sourceId");
    Objects.requireNonNull(address, "address");
    claimedIdentity = Map.copyOf(claimedIdentity);
    Objects.requireNonNull(liveness, "liveness");
  }

  /** A device without cost evidence. */
  public Device(
      String id,
      String enterpriseId,
      String sourceId,
      Settings address,
      Map<String, String> claimedIdentity,
      LivenessTimeouts liveness) {
    this(id, enterpriseId, sourceId, address, claimedIdentity, liveness, null);
  }
}
