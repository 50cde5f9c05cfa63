package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.SourceStatus.State;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;

/**
 * Tells why a connection attempt failed, as a source state and words an integrator can act on.
 * Never includes a password. Stateless.
 */
final class Failures {

  /** A state and its explanation. */
  record Failure(State state, String detail) {}

  /** No offered endpoint matches the configured security. */
  static final class NoMatchingEndpoint extends Exception {
    NoMatchingEndpoint(String message) {
      super(message);
    }
  }

  private Failures() {}

  static Failure classify(Throwable error, OpcUaSourceConfig config, GatewayPki pki) {
    Throwable e = unwrap(error);
    if (e instanceof NoMatchingEndpoint) {
      return new Failure(State.UNREACHABLE, e.getMessage());
    }
    if (e instanceof UserTokenNotOffered) {
      return new Failure(State.AUTH_FAILED, e.getMessage());
    }
    Optional<StatusCode> status = UaException.extractStatusCode(e);
    long code = status.map(s -> s.getValue() & 0xFFFF0000L).orElse(0L);
    Optional<GatewayPki.Rejection> rejection = pki.lastRejection();
    if (rejection.isPresent()) {
      GatewayPki.Rejection r = rejection.get();
      String which = "server certificate '" + r.subject() + "' (SHA-1 " + r.thumbprint() + ")";
      if (r.inTrusted()) {
        return new Failure(
            State.UNTRUSTED_CERTIFICATE,
            which
                + " is in "
                + pki.trustedDir()
                + "/ but failed a check ("
                + r.reason()
                + "); a copy was saved to "
                + r.savedTo()
                + ". Fix the server's certificate (validity, host names, ApplicationUri) or the"
                + " endpoint URL");
      }
      return new Failure(
          State.UNTRUSTED_CERTIFICATE,
          which
              + " is not trusted ("
              + r.reason()
              + "); it was saved to "
              + r.savedTo()
              + ". If this is the right server, move that file to "
              + pki.trustedDir()
              + "/ and the gateway connects at its next attempt");
    }
    if (code == StatusCodes.Bad_UserAccessDenied
        || code == StatusCodes.Bad_IdentityTokenInvalid
        || code == StatusCodes.Bad_IdentityTokenRejected
        || code == StatusCodes.Bad_UserSignatureInvalid
        || code == StatusCodes.Bad_CertificateUntrusted && config.userCertificate().isPresent()) {
      String who;
      String fix;
      if (config.username().isPresent()) {
        who = "user '" + config.username().get() + "'";
        fix =
            "check auth.username and the password in "
                + config.password().map(Object::toString).orElse("auth.password");
      } else if (config.userCertificate().isPresent()) {
        who = "the user certificate " + config.userCertificate().get().file();
        fix = "have the server accept that certificate as a user, or use username/password";
      } else {
        who = "anonymous access";
        fix = "add auth.username and auth.password: {env: VARIABLE}";
      }
      return new Failure(
          State.AUTH_FAILED,
          "the server refused " + who + " (" + Values.name(status.get()) + "): " + fix);
    }
    String why =
        status.isPresent()
            ? Values.name(status.get()) + (e.getMessage() != null ? ": " + e.getMessage() : "")
            : e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    return new Failure(
        State.UNREACHABLE, "cannot connect to " + config.endpoint() + " (" + why + "); retrying");
  }

  /** The configured user is of a kind the endpoint does not accept. */
  static final class UserTokenNotOffered extends Exception {
    UserTokenNotOffered(String message) {
      super(message);
    }
  }

  /**
   * Fails at once, in words, when the endpoint does not accept the kind of user configured, instead
   * of letting the server refuse it on every attempt.
   */
  static void checkUserTokens(EndpointDescription endpoint, OpcUaSourceConfig config)
      throws UserTokenNotOffered {
    UserTokenType wanted =
        config.username().isPresent()
            ? UserTokenType.UserName
            : config.userCertificate().isPresent()
                ? UserTokenType.Certificate
                : UserTokenType.Anonymous;
    UserTokenPolicy[] policies = endpoint.getUserIdentityTokens();
    List<UserTokenType> offered =
        policies == null
            ? List.of()
            : Arrays.stream(policies).map(UserTokenPolicy::getTokenType).distinct().toList();
    if (offered.contains(wanted)) {
      return;
    }
    throw new UserTokenNotOffered(
        "the server does not accept "
            + describe(wanted)
            + " at this endpoint; it accepts "
            + (offered.isEmpty()
                ? "no user at all"
                : String.join(", ", offered.stream().map(Failures::describe).toList()))
            + ". Fix: "
            + (offered.contains(UserTokenType.UserName)
                ? "set auth.username and auth.password: {env: VARIABLE}"
                : offered.contains(UserTokenType.Certificate)
                    ? "set auth.certificate and auth.privateKey"
                    : "remove auth"));
  }

  private static String describe(UserTokenType type) {
    return switch (type) {
      case Anonymous -> "anonymous sessions";
      case UserName -> "username/password";
      case Certificate -> "X.509 user certificates";
      case IssuedToken -> "issued tokens";
    };
  }

  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
