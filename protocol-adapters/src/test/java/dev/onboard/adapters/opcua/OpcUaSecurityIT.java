package dev.onboard.adapters.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onboard.gateway.spi.SourceStatus.State;
import dev.onboard.gateway.testkit.RecordingSink;
import dev.onboard.simulator.opcua.OpcUaDeviceKind;
import dev.onboard.simulator.opcua.OpcUaDeviceSpec;
import dev.onboard.simulator.opcua.SimulatedOpcUaServer;
import dev.onboard.simulator.opcua.SimulatedOpcUaServer.SessionInfo;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig.Security;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Period;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Secure connections against a simulated server that offers every policy and mode, accepts one user
 * by password and one by X.509 certificate, and refuses anonymous sessions. One server for the
 * class: each test's gateway has its own data directory, so trust never leaks between tests.
 */
class OpcUaSecurityIT {

  private static final String USER = "operator";
  private static final String PASSWORD = "correct-horse-battery";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static SimulatedOpcUaServer server;
  private static X509Certificate userCertificate;
  private static Path userFiles;

  @TempDir Path dataDir;
  private final RecordingSink sink = new RecordingSink();
  private Harness harness;

  @BeforeAll
  static void startServer() throws Exception {
    userFiles = Files.createTempDirectory("opcua-user-");
    userCertificate = writeUserCertificate(userFiles, "accepted");
    server =
        new SimulatedOpcUaServer(
            SimulatedOpcUaServerConfig.of(
                    "secure",
                    List.of(
                        OpcUaDeviceSpec.of("CNC-01", OpcUaDeviceKind.CNC)
                            .withUpdateInterval(Duration.ofMillis(200))))
                .withSecurity(Security.secured())
                .withUsers(Map.of(USER, PASSWORD))
                .withUserCertificates(List.of(userCertificate)));
    server.start().get();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void closeAdapter() {
    if (harness != null) {
      harness.close();
    }
    // A session refused its user is never activated; the server drops it when it times out.
    await()
        .atMost(PATIENCE)
        .until(() -> server.sessions().stream().noneMatch(SessionInfo::activated));
  }

  @Test
  void an_unknown_server_certificate_is_refused_saved_to_rejected_and_trusted_once_moved()
      throws Exception {
    harness = start(Specs.endpoint(server.endpointUrl()), true, false);

    await().atMost(PATIENCE).until(() -> harness.state() == State.UNTRUSTED_CERTIFICATE);
    String thumbprint = server.certificateThumbprint();
    Path saved = dataDir.resolve("pki/rejected/" + thumbprint + ".der");
    assertThat(saved).exists();
    assertThat(Files.readAllBytes(saved)).isEqualTo(server.certificate().getEncoded());
    assertThat(harness.status().detail())
        .contains("is not trusted")
        .contains(thumbprint)
        .contains("Bad_SecurityChecksFailed")
        .contains(saved.toString())
        .contains("move that file to " + dataDir.resolve("pki/trusted"));
    assertThat(activeSessions()).isEmpty();
    assertThat(sink.readings()).isEmpty();

    // The admin's fix, with the gateway left running: Milo's next attempt succeeds.
    Files.move(saved, dataDir.resolve("pki/trusted/" + thumbprint + ".der"));
    await().atMost(PATIENCE).until(() -> harness.state() == State.CONNECTED);
    await().atMost(PATIENCE).until(() -> sink.goodReadingCount("cnc-1") > 0);
    assertThat(activeSessions()).hasSize(1);
  }

  static Stream<Arguments> pinnedSecurity() {
    return Stream.of(
        Arguments.of("basic256sha256", "sign", Security.BASIC256SHA256_SIGN),
        Arguments.of(
            "basic256sha256", "sign-and-encrypt", Security.BASIC256SHA256_SIGN_AND_ENCRYPT),
        Arguments.of("aes128-sha256-rsaoaep", "sign", Security.AES128_SHA256_RSAOAEP_SIGN),
        Arguments.of(
            "aes128-sha256-rsaoaep",
            "sign-and-encrypt",
            Security.AES128_SHA256_RSAOAEP_SIGN_AND_ENCRYPT),
        Arguments.of("aes256-sha256-rsapss", "sign", Security.AES256_SHA256_RSAPSS_SIGN),
        Arguments.of(
            "aes256-sha256-rsapss",
            "sign-and-encrypt",
            Security.AES256_SHA256_RSAPSS_SIGN_AND_ENCRYPT));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("pinnedSecurity")
  void a_pinned_policy_and_mode_connect_with_explicit_trust(
      String policy, String mode, Security expected) throws Exception {
    trustServer();
    harness =
        start(
            Specs.endpoint(server.endpointUrl())
                .set("security", Map.of("policy", policy, "mode", mode)),
            true,
            false);

    await().atMost(PATIENCE).until(() -> sink.goodReadingCount("cnc-1") > 0);
    assertThat(harness.state()).isEqualTo(State.CONNECTED);
    assertThat(activeSessions())
        .containsExactly(new SessionInfo(expected.policy(), expected.mode(), USER));
  }

  @Test
  void best_takes_the_strongest_policy_and_mode_the_server_offers() throws Exception {
    trustServer();
    harness = start(Specs.endpoint(server.endpointUrl()), true, false);

    await().atMost(PATIENCE).until(() -> harness.state() == State.CONNECTED);
    assertThat(activeSessions())
        .containsExactly(
            new SessionInfo(
                SecurityPolicy.Aes256_Sha256_RsaPss, MessageSecurityMode.SignAndEncrypt, USER));
  }

  @Test
  void a_wrong_password_is_auth_failed_in_words_that_never_show_the_password() throws Exception {
    trustServer();
    harness =
        start(
            Specs.endpoint(server.endpointUrl())
                .set("auth", Map.of("username", USER, "password", Map.of("env", "GW_PASSWORD")))
                .env(Map.of("GW_PASSWORD", "not-the-password")),
            false,
            false);

    await().atMost(PATIENCE).until(() -> harness.state() == State.AUTH_FAILED);
    assertThat(harness.status().detail())
        .contains("refused user 'operator'")
        .contains("Bad_UserAccessDenied")
        .contains("Secret[env:GW_PASSWORD]")
        .contains("next try in 60 s")
        .doesNotContain("not-the-password");
    assertThat(activeSessions()).isEmpty();
  }

  @Test
  void anonymous_access_to_a_server_that_wants_users_is_auth_failed() throws Exception {
    trustServer();
    harness = start(Specs.endpoint(server.endpointUrl()), false, false);

    await().atMost(PATIENCE).until(() -> harness.state() == State.AUTH_FAILED);
    assertThat(harness.status().detail())
        .contains("does not accept anonymous sessions")
        .contains("it accepts username/password, X.509 user certificates")
        .contains("set auth.username");
    assertThat(activeSessions()).isEmpty();
  }

  @Test
  void an_x509_user_certificate_the_server_accepts_opens_a_session_as_that_user() throws Exception {
    trustServer();
    harness = start(Specs.endpoint(server.endpointUrl()), false, true);

    await().atMost(PATIENCE).until(() -> sink.goodReadingCount("cnc-1") > 0);
    assertThat(activeSessions())
        .singleElement()
        .satisfies(s -> assertThat(s.user()).contains("CN=accepted"));
  }

  @Test
  void an_x509_user_certificate_the_server_does_not_know_is_auth_failed() throws Exception {
    trustServer();
    Path other = Files.createTempDirectory(dataDir, "other-user");
    writeUserCertificate(other, "stranger");
    harness =
        new Harness(
                Specs.endpoint(server.endpointUrl())
                    .set(
                        "auth",
                        Map.of(
                            "certificate",
                            other.resolve("user.der").toString(),
                            "privateKey",
                            Map.of("file", other.resolve("user-key.pem").toString())))
                    .browsed("cnc-1", "CNC-01")
                    .browse(browseStart()),
                sink,
                dataDir)
            .start();

    await().atMost(PATIENCE).until(() -> harness.state() == State.AUTH_FAILED);
    assertThat(harness.status().detail()).contains("user certificate").contains("user.der");
  }

  @Test
  void the_gateway_certificate_is_created_on_first_start_and_kept() throws Exception {
    trustServer();
    harness = start(Specs.endpoint(server.endpointUrl()), true, false);
    await().atMost(PATIENCE).until(() -> harness.state() == State.CONNECTED);
    Path own = dataDir.resolve("pki/own/gateway.p12");
    assertThat(own).exists();
    byte[] first = Files.readAllBytes(own);
    harness.close();

    harness = start(Specs.endpoint(server.endpointUrl()), true, false);
    await().atMost(PATIENCE).until(() -> harness.state() == State.CONNECTED);
    assertThat(Files.readAllBytes(own)).isEqualTo(first);
  }

  // ---- helpers ----

  /** Sessions with an accepted user; refused ones linger unactivated until they time out. */
  private static List<SessionInfo> activeSessions() {
    return server.sessions().stream().filter(SessionInfo::activated).toList();
  }

  private Harness start(Specs specs, boolean password, boolean certificate) throws Exception {
    if (password) {
      specs
          .set("auth", Map.of("username", USER, "password", Map.of("env", "GW_PASSWORD")))
          .env(Map.of("GW_PASSWORD", PASSWORD));
    }
    if (certificate) {
      specs.set(
          "auth",
          Map.of(
              "certificate",
              userFiles.resolve("user.der").toString(),
              "privateKey",
              Map.of("file", userFiles.resolve("user-key.pem").toString())));
    }
    specs.browse(browseStart()).fastSubscription().browsed("cnc-1", "CNC-01");
    return new Harness(specs, sink, dataDir).start();
  }

  private static String browseStart() {
    return "nsu=urn:onboard:simulator;s=Devices";
  }

  private void trustServer() throws Exception {
    Path trusted = Files.createDirectories(dataDir.resolve("pki/trusted"));
    Files.write(trusted.resolve("plant.der"), server.certificate().getEncoded());
  }

  /** A self-signed user certificate (DER) and its key (PKCS#8 PEM) in {@code dir}. */
  private static X509Certificate writeUserCertificate(Path dir, String name) throws Exception {
    KeyPair kp = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    X509Certificate cert =
        new SelfSignedCertificateBuilder(kp)
            .setCommonName(name)
            .setOrganization("Onboard tests")
            .setApplicationUri("urn:onboard:user:" + name)
            .setValidityPeriod(Period.ofDays(30))
            .build();
    Files.write(dir.resolve("user.der"), cert.getEncoded());
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(kp.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(dir.resolve("user-key.pem"), pem);
    return cert;
  }
}
