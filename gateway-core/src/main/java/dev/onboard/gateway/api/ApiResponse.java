package dev.onboard.gateway.api;

import java.nio.charset.StandardCharsets;

/**
 * What the API answers: a status code, a content type and a body. Immutable.
 *
 * @param status the HTTP status code
 * @param contentType the body's media type
 * @param body the body's bytes
 * @param headers extra headers as name, value pairs
 */
public record ApiResponse(int status, String contentType, byte[] body, String... headers) {

  static final String JSON = "application/json; charset=utf-8";

  static ApiResponse text(int status, String contentType, String body, String... headers) {
    return new ApiResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  /** The body as text, for tests and logs. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
