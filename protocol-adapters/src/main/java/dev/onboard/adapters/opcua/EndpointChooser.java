package dev.onboard.adapters.opcua;

import dev.onboard.adapters.opcua.OpcUaSourceConfig.Mode;
import dev.onboard.adapters.opcua.OpcUaSourceConfig.Policy;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;

/**
 * Picks the endpoint to use from those a server offers. {@code best} takes the strongest secured
 * endpoint and never None or the deprecated Basic128Rsa15/Basic256; None is used only when pinned.
 * Stateless.
 */
final class EndpointChooser {

  private EndpointChooser() {}

  static Optional<EndpointDescription> choose(
      List<EndpointDescription> offered, Policy policy, Optional<Mode> mode) {
    return offered.stream()
        .filter(e -> TransportProfile.TCP_UASC_UABINARY.getUri().equals(e.getTransportProfileUri()))
        .filter(e -> policyMatches(e, policy))
        .filter(e -> mode.isEmpty() || e.getSecurityMode() == messageMode(mode.get()))
        .max(
            Comparator.comparingInt(EndpointChooser::policyStrength)
                .thenComparingInt(e -> e.getSecurityMode().getValue())
                .thenComparingInt(e -> e.getSecurityLevel().intValue()));
  }

  /** A short description of what a server offers, for the status when nothing matched. */
  static String describe(List<EndpointDescription> offered) {
    return offered.stream()
        .map(
            e ->
                SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri())
                        .map(Enum::name)
                        .orElse(e.getSecurityPolicyUri())
                    + "/"
                    + e.getSecurityMode())
        .distinct()
        .toList()
        .toString();
  }

  private static boolean policyMatches(EndpointDescription e, Policy policy) {
    Optional<SecurityPolicy> offered = SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri());
    if (offered.isEmpty()) {
      return false;
    }
    return switch (policy) {
      case NONE -> offered.get() == SecurityPolicy.None;
      case BASIC256SHA256 -> offered.get() == SecurityPolicy.Basic256Sha256;
      case AES128_SHA256_RSAOAEP -> offered.get() == SecurityPolicy.Aes128_Sha256_RsaOaep;
      case AES256_SHA256_RSAPSS -> offered.get() == SecurityPolicy.Aes256_Sha256_RsaPss;
      case BEST -> policyStrength(e) > 0;
    };
  }

  /** 0 for None and deprecated policies, higher is stronger. */
  private static int policyStrength(EndpointDescription e) {
    return switch (SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri())
        .orElse(SecurityPolicy.None)) {
      case Aes256_Sha256_RsaPss -> 3;
      case Aes128_Sha256_RsaOaep -> 2;
      case Basic256Sha256 -> 1;
      default -> 0;
    };
  }

  private static MessageSecurityMode messageMode(Mode mode) {
    return mode == Mode.SIGN ? MessageSecurityMode.Sign : MessageSecurityMode.SignAndEncrypt;
  }
}
