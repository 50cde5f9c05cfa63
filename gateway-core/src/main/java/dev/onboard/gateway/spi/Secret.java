package dev.onboard.gateway.spi;

import java.util.Objects;

/**
 * A password or token read from an environment variable or a file, never from the configuration
 * itself. {@link #toString()} names where it came from and never the value, so a secret that ends
 * up in a log line or an exception message leaks nothing. Immutable and thread-safe.
 */
public final class Secret {

  private final String origin;
  private final String value;

  /**
   * @param origin where the value came from, e.g. {@code env:ONBOARD_TOKEN}
   * @param value the secret itself
   */
  public Secret(String origin, String value) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The secret itself; pass it straight to the library that needs it. */
  public String reveal() {
    return value;
  }

  /** Where the secret came from, e.g. {@code env:ONBOARD_TOKEN} or {@code file:/etc/onboard/t}. */
  public String origin() {
    return origin;
  }

  /** Compares with a presented value in time that does not depend on where they differ. */
  public boolean matches(String presented) {
    return presented != null
        && java.security.MessageDigest.isEqual(
            value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            presented.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Secret[" + origin + "]";
  }
}
