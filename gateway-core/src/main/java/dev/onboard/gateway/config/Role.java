package dev.onboard.gateway.config;

/**
 * Who may call the HTTP API. Each token belongs to one role; a role may do what the roles below it
 * may do.
 */
public enum Role {
  /** Reads devices, counts, sources and metrics. */
  OPERATOR,
  /** Also pulls enterprise reports. */
  AUDITOR,
  /** Everything, including changes. */
  ADMIN;

  /** Whether a token of this role may do what {@code needed} may. */
  public boolean covers(Role needed) {
    return ordinal() >= needed.ordinal();
  }
}
