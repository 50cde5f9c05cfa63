package dev.onboard.adapters.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.adapters.opcua.OpcUaSourceConfig.Mode;
import dev.onboard.adapters.opcua.OpcUaSourceConfig.Policy;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.junit.jupiter.api.Test;

class EndpointChooserTest {

  private static final List<EndpointDescription> OFFERED =
      List.of(
          endpoint(SecurityPolicy.None, MessageSecurityMode.None, 0),
          endpoint(SecurityPolicy.Basic128Rsa15, MessageSecurityMode.SignAndEncrypt, 1),
          endpoint(SecurityPolicy.Basic256Sha256, MessageSecurityMode.Sign, 2),
          endpoint(SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, 3),
          endpoint(SecurityPolicy.Aes128_Sha256_RsaOaep, MessageSecurityMode.SignAndEncrypt, 4));

  @Test
  void best_takes_the_strongest_policy_and_mode_offered() {
    EndpointDescription e =
        EndpointChooser.choose(OFFERED, Policy.BEST, Optional.empty()).orElseThrow();
    assertThat(e.getSecurityPolicyUri()).isEqualTo(SecurityPolicy.Aes128_Sha256_RsaOaep.getUri());
    assertThat(e.getSecurityMode()).isEqualTo(MessageSecurityMode.SignAndEncrypt);
  }

  @Test
  void best_never_falls_back_to_none_or_deprecated_policies() {
    List<EndpointDescription> weak =
        List.of(
            endpoint(SecurityPolicy.None, MessageSecurityMode.None, 0),
            endpoint(SecurityPolicy.Basic128Rsa15, MessageSecurityMode.SignAndEncrypt, 1));
    assertThat(EndpointChooser.choose(weak, Policy.BEST, Optional.empty())).isEmpty();
    assertThat(EndpointChooser.describe(weak)).contains("None/None").contains("Basic128Rsa15");
  }

  @Test
  void none_is_used_when_pinned() {
    assertThat(
            EndpointChooser.choose(OFFERED, Policy.NONE, Optional.empty())
                .orElseThrow()
                .getSecurityMode())
        .isEqualTo(MessageSecurityMode.None);
  }

  @Test
  void a_pinned_policy_and_mode_are_honoured() {
    EndpointDescription e =
        EndpointChooser.choose(OFFERED, Policy.BASIC256SHA256, Optional.of(Mode.SIGN))
            .orElseThrow();
    assertThat(e.getSecurityPolicyUri()).isEqualTo(SecurityPolicy.Basic256Sha256.getUri());
    assertThat(e.getSecurityMode()).isEqualTo(MessageSecurityMode.Sign);
    assertThat(EndpointChooser.choose(OFFERED, Policy.AES256_SHA256_RSAPSS, Optional.empty()))
        .isEmpty();
  }

  private static EndpointDescription endpoint(
      SecurityPolicy policy, MessageSecurityMode mode, int level) {
    return new EndpointDescription(
        "opc.tcp://plc:4840",
        null,
        null,
        mode,
        policy.getUri(),
        null,
        TransportProfile.TCP_UASC_UABINARY.getUri(),
        UByte.valueOf(level));
  }
}
