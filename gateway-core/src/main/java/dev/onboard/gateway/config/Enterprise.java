package dev.onboard.gateway.config;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An enterprise that claims devices on this gateway. Immutable.
 *
 * @param id the enterprise's id (e.g. its unified social credit code)
 * @param name its registered name, any script
 * @param district where it is registered, e.g. {@code huangpu}; empty when not given
 * @param attributes what a policy's eligibility rules test, by the meter's attribute names (e.g.
 *     {@code independent_legal_entity → true}); only what the configuration states
 */
public record Enterprise(String id, String name, String district, Map<String, String> attributes) {

  public Enterprise {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(district, "district");
    attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  /** An enterprise without eligibility attributes. */
  public Enterprise(String id, String name, String district) {
    this(id, name, district, Map.of());
  }
}
