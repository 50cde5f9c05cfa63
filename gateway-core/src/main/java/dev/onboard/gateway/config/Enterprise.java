package dev.onboard.gateway.config;

import java.util.Objects;

/**
 * An enterprise that claims devices on this gateway. Immutable.
 *
 * @param id the enterprise's id (e.g. its unified social credit code)
 * @param name its registered name, any script
 * @param district where it is registered, e.g. {@code huangpu}; empty when not given
 */
public record Enterprise(String id, String name, String district) {

  public Enterprise {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(district, "district");
  }
}
