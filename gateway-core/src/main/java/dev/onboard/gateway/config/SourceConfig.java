package dev.onboard.gateway.config;

import dev.onboard.gateway.spi.Settings;
import java.util.Objects;

/**
 * One configured source. The gateway reads {@code id}, {@code protocol} and {@code liveness}; the
 * rest ({@link #settings()}) belongs to the protocol's adapter. Immutable.
 *
 * @param id unique in the gateway
 * @param protocol an adapter's protocol, e.g. {@code opcua}
 * @param settings the adapter's keys
 * @param liveness default silence timeouts for the source's devices
 */
public record SourceConfig(
    String id, String protocol, Settings settings, LivenessTimeouts liveness) {

  public SourceConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(liveness, "liveness");
  }
}
