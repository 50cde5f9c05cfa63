package dev.onboard.gateway.uplink;

import java.time.Instant;

/**
 * How delivery to the central store stands, for the API and metrics. Immutable.
 *
 * @param state what the uplink is doing
 * @param detail the last error in words; empty when all is well
 * @param since when it entered this state
 * @param deliveredPoints points the store accepted since start
 * @param refusedPoints points in batches the store refused as bad data (400) since start
 * @param lastError the last error in words, kept after delivery resumes; empty if none yet
 */
public record UplinkStatus(
    State state,
    String detail,
    Instant since,
    long deliveredPoints,
    long refusedPoints,
    String lastError) {

  /** Uplink states. */
  public enum State {
    /** No {@code uplink:} in the configuration: points wait in the outbox up to its quota. */
    NOT_CONFIGURED,
    /** Not started yet. */
    STOPPED,
    /** Writes succeed. */
    DELIVERING,
    /** The store is away (5xx, refused, timeout); retrying with backoff, keeping everything. */
    STORE_AWAY,
    /** The store refuses writes (credentials, missing database): a person must fix it. */
    STORE_REFUSED
  }
}
