package dev.onboard.adapters.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server certificates against the gateway's trust list, with every optional check on. */
class GatewayPkiTest {

  private static final String URI = "urn:plant:plc-1";
  private static KeyPair keys;

  @TempDir Path dataDir;

  @BeforeAll
  static void keys() throws Exception {
    keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
  }

  private static X509Certificate certificate(String uri, Period validity) throws Exception {
    return new SelfSignedCertificateBuilder(keys)
        .setCommonName("PLC 1")
        .setApplicationUri(uri)
        .setValidityPeriod(validity)
        .addDnsName("localhost")
        .addIpAddress("127.0.0.1")
        .build();
  }

  private GatewayPki pkiTrusting(X509Certificate cert) throws Exception {
    GatewayPki pki = new GatewayPki(dataDir, "urn:onboard:gateway:test");
    pki.loadOrCreate();
    Files.write(pki.trustedDir().resolve("plc.der"), cert.getEncoded());
    return pki;
  }

  private static void validate(GatewayPki pki, X509Certificate cert, String uri, String host)
      throws UaException {
    pki.validator().validateCertificateChain(List.of(cert), uri, new String[] {host});
  }

  @Test
  void an_unknown_certificate_is_refused_and_saved_under_its_thumbprint() throws Exception {
    X509Certificate cert = certificate(URI, Period.ofYears(1));
    GatewayPki pki = new GatewayPki(dataDir, "urn:onboard:gateway:test");
    pki.loadOrCreate();

    assertThatThrownBy(() -> validate(pki, cert, URI, "127.0.0.1")).isInstanceOf(UaException.class);
    GatewayPki.Rejection r = pki.lastRejection().orElseThrow();
    assertThat(r.inTrusted()).isFalse();
    assertThat(r.savedTo())
        .isEqualTo(pki.rejectedDir().resolve(GatewayPki.thumbprint(cert) + ".der"));
    assertThat(Files.readAllBytes(r.savedTo())).isEqualTo(cert.getEncoded());
  }

  @Test
  void a_trusted_certificate_for_this_server_and_host_is_accepted() throws Exception {
    X509Certificate cert = certificate(URI, Period.ofYears(1));
    GatewayPki pki = pkiTrusting(cert);
    validate(pki, cert, URI, "127.0.0.1");
    assertThat(pki.lastRejection()).isEmpty();
  }

  @Test
  void a_trusted_certificate_of_another_application_uri_is_refused() throws Exception {
    X509Certificate cert = certificate("urn:plant:plc-2", Period.ofYears(1));
    GatewayPki pki = pkiTrusting(cert);
    assertThatThrownBy(() -> validate(pki, cert, URI, "127.0.0.1")).isInstanceOf(UaException.class);
    GatewayPki.Rejection r = pki.lastRejection().orElseThrow();
    assertThat(r.inTrusted()).isTrue();
    assertThat(r.reason()).contains("Bad_CertificateUriInvalid");
  }

  @Test
  void a_trusted_certificate_for_another_host_is_refused() throws Exception {
    X509Certificate cert = certificate(URI, Period.ofYears(1));
    GatewayPki pki = pkiTrusting(cert);
    assertThatThrownBy(() -> validate(pki, cert, URI, "plc-7.plant.example"))
        .isInstanceOf(UaException.class);
    assertThat(pki.lastRejection().orElseThrow().reason())
        .contains("Bad_CertificateHostNameInvalid");
  }

  @Test
  void a_trusted_certificate_that_has_expired_is_refused() throws Exception {
    X509Certificate cert = certificate(URI, Period.ZERO);
    GatewayPki pki = pkiTrusting(cert);
    assertThatThrownBy(() -> validate(pki, cert, URI, "127.0.0.1")).isInstanceOf(UaException.class);
    assertThat(pki.lastRejection().orElseThrow().reason()).contains("Bad_CertificateTimeInvalid");
  }

  @Test
  void the_gateway_certificate_is_made_once_and_read_back_after_a_restart() throws Exception {
    GatewayPki first = new GatewayPki(dataDir, "urn:onboard:gateway:test");
    first.loadOrCreate();
    GatewayPki again = new GatewayPki(dataDir, "urn:onboard:gateway:test");
    again.loadOrCreate();
    assertThat(again.certificate()).isEqualTo(first.certificate());
    assertThat(again.keyPair().getPrivate()).isEqualTo(first.keyPair().getPrivate());
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("pki/own/gateway.p12")))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }
}
