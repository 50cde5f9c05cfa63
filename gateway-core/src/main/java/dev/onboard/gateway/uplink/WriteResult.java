package dev.onboard.gateway.uplink;

/**
 * What the store said to one write. Immutable.
 *
 * @param outcome how to treat it
 * @param status the HTTP status, or 0 when no answer came
 * @param detail the store's error text, or the transport error, in words
 */
public record WriteResult(Outcome outcome, int status, String detail) {

  /** The four things a write can come to, each handled differently by the uplink. */
  public enum Outcome {
    /** Stored (204). */
    STORED,
    /**
     * Refused as bad data (400): InfluxDB stored the well-formed points of the batch and names the
     * others; retrying cannot help, so the batch counts as delivered and the refusal is reported.
     */
    BAD_DATA,
    /** Refused for a reason a person must fix (401/403 credentials, 404 no such database). */
    REFUSED,
    /** The store is away (5xx, refused connection, timeout): retry later, keep everything. */
    AWAY
  }

  static WriteResult of(int status, String body) {
    if (status == 204 || status == 200) {
      return new WriteResult(Outcome.STORED, status, "");
    }
    String detail = body == null ? "" : body.strip();
    if (status == 400) {
      return new WriteResult(Outcome.BAD_DATA, status, detail);
    }
    if (status == 401 || status == 403 || status == 404) {
      return new WriteResult(Outcome.REFUSED, status, detail);
    }
    return new WriteResult(Outcome.AWAY, status, detail);
  }
}
