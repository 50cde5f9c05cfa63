package dev.onboard.gateway.config;

import dev.onboard.gateway.spi.Secret;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP API's address and tokens. Immutable.
 *
 * @param host the address to bind, {@code 127.0.0.1} unless the operator opens it
 * @param port the TCP port; 0 picks a free one
 * @param tokens every accepted bearer token with its role; never empty, since the API always needs
 *     a token
 */
public record HttpConfig(String host, int port, List<Token> tokens) {

  public HttpConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port);
    }
    tokens = List.copyOf(tokens);
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("the HTTP API needs at least one token");
    }
  }

  /** A bearer token and what it may do. */
  public record Token(Role role, Secret secret) {}
}
