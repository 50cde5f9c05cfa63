package dev.onboard.adapters.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;

/**
 * The gateway's OPC UA PKI under a source's data directory:
 *
 * <pre>
 * pki/own/gateway.p12   the gateway's application certificate and key, created on first use, kept
 * pki/trusted/          server certificates an admin trusts (DER or PEM, any file name)
 * pki/rejected/         server certificates that were refused, as SHA1.der, for an admin to move
 * </pre>
 *
 * <p>Server certificates are checked with every optional check on (validity, hostname, key usage,
 * extended key usage, revocation, ApplicationUri match); {@code trusted/} is re-read on every
 * check, so moving a file there takes effect at the next connection attempt without a restart. A
 * refused certificate is saved to {@code rejected/} whether it was unknown or trusted but failed a
 * check.
 *
 * <p>Thread-safety: methods are synchronized.
 */
final class GatewayPki {

  /**
   * Protects the PKCS#12 file's format only; the file itself is readable by the gateway's user
   * alone. Not a secret.
   */
  private static final char[] STORE_PASSWORD = "onboard-gateway".toCharArray();

  private static final String ALIAS = "gateway";

  /**
   * A server certificate that was refused, and where it was saved.
   *
   * @param inTrusted whether the certificate is in {@code trusted/} (then another check failed)
   * @param reason the StatusCode name and Milo's explanation
   */
  record Rejection(
      String subject, String thumbprint, Path savedTo, boolean inTrusted, String reason) {}

  private final Path own;
  private final Path trusted;
  private final Path rejected;
  private final String applicationUri;

  private KeyPair keyPair;
  private X509Certificate certificate;
  private Rejection lastRejection;

  GatewayPki(Path dataDir, String applicationUri) {
    Path pki = dataDir.resolve("pki");
    this.own = pki.resolve("own");
    this.trusted = pki.resolve("trusted");
    this.rejected = pki.resolve("rejected");
    this.applicationUri = applicationUri;
  }

  String applicationUri() {
    return applicationUri;
  }

  Path trustedDir() {
    return trusted;
  }

  Path rejectedDir() {
    return rejected;
  }

  /** Loads the application certificate, creating and keeping it on first use. */
  synchronized void loadOrCreate() throws Exception {
    if (certificate != null) {
      return;
    }
    Files.createDirectories(own);
    Files.createDirectories(trusted);
    Files.createDirectories(rejected);
    Path file = own.resolve("gateway.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        store.load(in, STORE_PASSWORD);
      }
      X509Certificate cert = (X509Certificate) store.getCertificate(ALIAS);
      PrivateKey key = (PrivateKey) store.getKey(ALIAS, STORE_PASSWORD);
      keyPair = new KeyPair(cert.getPublicKey(), key);
      certificate = cert;
      return;
    }
    KeyPair kp = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    String host = java.net.InetAddress.getLocalHost().getHostName();
    X509Certificate cert =
        new SelfSignedCertificateBuilder(kp)
            .setCommonName("Onboard gateway")
            .setOrganization("Onboard")
            .setApplicationUri(applicationUri)
            .setValidityPeriod(Period.ofYears(5))
            .addDnsName("localhost")
            .addDnsName(host)
            .addIpAddress("127.0.0.1")
            .build();
    store.load(null, null);
    store.setKeyEntry(ALIAS, kp.getPrivate(), STORE_PASSWORD, new Certificate[] {cert});
    Path tmp = own.resolve("gateway.p12.tmp");
    try (var out = Files.newOutputStream(tmp)) {
      store.store(out, STORE_PASSWORD);
    }
    restrictToOwner(tmp);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    keyPair = kp;
    certificate = cert;
  }

  synchronized KeyPair keyPair() {
    return keyPair;
  }

  synchronized X509Certificate certificate() {
    return certificate;
  }

  /** The last refused server certificate, if any since the last successful check. */
  synchronized Optional<Rejection> lastRejection() {
    return Optional.ofNullable(lastRejection);
  }

  /** Validates server certificates against {@code trusted/}, saving refused ones to rejected/. */
  CertificateValidator validator() {
    return (chain, serverUri, hostnames) -> validate(chain, serverUri, hostnames);
  }

  private synchronized void validate(
      List<X509Certificate> chain, String serverUri, String[] hostnames) throws UaException {
    MemoryTrustListManager trustList = new MemoryTrustListManager();
    List<X509Certificate> trustedCerts = loadTrusted();
    trustList.setTrustedCertificates(trustedCerts);
    try {
      new DefaultClientCertificateValidator(
              trustList, ValidationCheck.ALL_OPTIONAL_CHECKS, new MemoryCertificateQuarantine())
          .validateCertificateChain(chain, serverUri, hostnames);
      lastRejection = null;
    } catch (UaException e) {
      lastRejection = save(chain.get(0), trustedCerts.contains(chain.get(0)), e);
      throw e;
    }
  }

  private Rejection save(X509Certificate cert, boolean inTrusted, UaException cause) {
    String thumbprint = thumbprint(cert);
    Path target = rejected.resolve(thumbprint + ".der");
    try {
      Files.createDirectories(rejected);
      Files.write(target, cert.getEncoded());
    } catch (Exception e) {
      target = null;
    }
    String message = cause.getMessage();
    return new Rejection(
        cert.getSubjectX500Principal().getName(),
        thumbprint,
        target,
        inTrusted,
        Values.name(cause.getStatusCode())
            + (message == null || message.isBlank() ? "" : ": " + message));
  }

  private List<X509Certificate> loadTrusted() {
    List<X509Certificate> out = new ArrayList<>();
    if (!Files.isDirectory(trusted)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(trusted)) {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Path f : files) {
        if (!Files.isRegularFile(f)) {
          continue;
        }
        try (InputStream in = Files.newInputStream(f)) {
          for (Certificate c : factory.generateCertificates(in)) {
            out.add((X509Certificate) c);
          }
        } catch (Exception e) {
          // A stray non-certificate file in trusted/ must not stop the others from counting.
        }
      }
    } catch (Exception e) {
      return out;
    }
    return out;
  }

  static String thumbprint(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
    } catch (Exception e) {
      throw new IllegalStateException("cannot hash a certificate", e);
    }
  }

  static String thumbprint(byte[] der) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(der));
    } catch (Exception e) {
      throw new IllegalStateException("SHA-1 missing", e);
    }
  }

  private static void restrictToOwner(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory's own permissions have to do.
    }
  }
}
