package dev.onboard.gateway.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of one adapter's connection to its source, for the API and metrics. Immutable.
 *
 * @param sourceId the source's id from the configuration
 * @param protocol the adapter's protocol
 * @param state what the connection is doing now
 * @param detail the last error or a short explanation in words; empty when all is well
 * @param since when the source entered this state
 */
public record SourceStatus(
    String sourceId, String protocol, State state, String detail, Instant since) {

  public SourceStatus {
    Objects.requireNonNull(sourceId, "sourceId");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(state, "state");
    detail = detail == null ? "" : detail;
    Objects.requireNonNull(since, "since");
  }

  /** Connection states. Only {@link #CONNECTED} means data can flow. */
  public enum State {
    /** Created, not started. */
    STOPPED,
    /** Trying to connect or reconnect. */
    CONNECTING,
    CONNECTED,
    /** The server's certificate is not in {@code trusted/}; it was saved to {@code rejected/}. */
    UNTRUSTED_CERTIFICATE,
    /** The server refused the gateway's credentials. */
    AUTH_FAILED,
    /** Connected, but the server is not RUNNING (e.g. TEST, SUSPENDED, FAILED). */
    SERVER_NOT_RUNNING,
    /** Cannot reach the peer (refused, timeout, DNS). */
    UNREACHABLE
  }
}
