package dev.onboard.simulator.opcua;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/**
 * Application certificates of simulated servers. RSA key generation costs seconds, so one key pair
 * serves the whole JVM; each ApplicationUri gets its own self-signed certificate (signing is fast),
 * so servers still differ in ApplicationUri and thumbprint. Thread-safe.
 */
final class SimulatorCertificates {

  private static volatile KeyPair sharedKeyPair;
  private static final Map<String, X509Certificate> CERTIFICATES = new ConcurrentHashMap<>();

  private SimulatorCertificates() {}

  static KeyPair keyPair() {
    KeyPair kp = sharedKeyPair;
    if (kp == null) {
      synchronized (SimulatorCertificates.class) {
        kp = sharedKeyPair;
        if (kp == null) {
          try {
            kp = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
          } catch (Exception e) {
            throw new IllegalStateException("cannot generate the simulator's RSA key pair", e);
          }
          sharedKeyPair = kp;
        }
      }
    }
    return kp;
  }

  /** The certificate for one ApplicationUri, valid for localhost and 127.0.0.1. */
  static X509Certificate certificate(String applicationUri, String bindAddress) {
    return CERTIFICATES.computeIfAbsent(
        applicationUri + "|" + bindAddress,
        k -> {
          try {
            SelfSignedCertificateBuilder builder =
                new SelfSignedCertificateBuilder(keyPair())
                    .setCommonName("Onboard simulator " + applicationUri)
                    .setOrganization("Onboard")
                    .setApplicationUri(applicationUri)
                    .setValidityPeriod(Period.ofYears(3))
                    .addDnsName("localhost")
                    .addIpAddress("127.0.0.1");
            if (!bindAddress.equals("127.0.0.1") && !bindAddress.equals("0.0.0.0")) {
              builder.addIpAddress(bindAddress);
            }
            return builder.build();
          } catch (Exception e) {
            throw new IllegalStateException("cannot build a certificate for " + applicationUri, e);
          }
        });
  }

  /**
   * A certificate manager that serves {@code certificate} and trusts every client: simulated
   * equipment accepts any gateway, so tests exercise the gateway's trust decisions, not the
   * simulator's.
   */
  static CertificateManager manager(X509Certificate certificate) throws Exception {
    KeyPair kp = keyPair();
    RsaSha256CertificateFactory factory =
        new RsaSha256CertificateFactory() {
          @Override
          protected KeyPair createRsaSha256KeyPair() {
            return kp;
          }

          @Override
          protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) {
            return new X509Certificate[] {certificate};
          }
        };
    DefaultApplicationGroup group =
        DefaultApplicationGroup.createAndInitialize(
            new MemoryTrustListManager(),
            new MemoryCertificateStore(),
            factory,
            (chain, applicationUri, validHostNames) -> {});
    return new DefaultCertificateManager(new MemoryCertificateQuarantine(), group);
  }
}
