package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.SourceStatus.State;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

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
    Optional<StatusCode> status = UaException.extractStatusCode(e);
    long code = status.map(s -> s.getValue() & 0xFFFF0000L).orElse(0L);
    Optional<GatewayPki.Rejection> rejection = pki.lastRejection();
    if (rejection.isPresent() && (isCertificateProblem(code) || code == 0)) {
      GatewayPki.Rejection r = rejection.get();
      return new Failure(
          State.UNTRUSTED_CERTIFICATE,
          "server certificate '"
              + r.subject()
              + "' (SHA-1 "
              + r.thumbprint()
              + ") is not trusted ("
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
        || code == StatusCodes.Bad_UserSignatureInvalid) {
      String who = config.username().map(u -> "user '" + u + "'").orElse("anonymous access");
      String fix =
          config.username().isPresent()
              ? "check auth.username and the password in "
                  + config.password().map(Object::toString).orElse("auth.password")
              : "add auth.username and auth.password: {env: VARIABLE}";
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

  private static boolean isCertificateProblem(long code) {
    return code == StatusCodes.Bad_CertificateUntrusted
        || code == StatusCodes.Bad_SecurityChecksFailed
        || code == StatusCodes.Bad_CertificateInvalid
        || code == StatusCodes.Bad_CertificateTimeInvalid
        || code == StatusCodes.Bad_CertificateHostNameInvalid
        || code == StatusCodes.Bad_CertificateUriInvalid
        || code == StatusCodes.Bad_CertificateChainIncomplete
        || code == StatusCodes.Bad_CertificateUseNotAllowed;
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
