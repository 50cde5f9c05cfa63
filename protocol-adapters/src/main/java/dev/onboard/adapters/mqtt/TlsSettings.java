package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * TLS files for an {@code ssl://} broker, PEM encoded. Immutable.
 *
 * @param ca the CA certificate(s) the broker's certificate must chain to; null = the JDK's trust
 *     store
 * @param clientCert the gateway's certificate for mutual TLS; null = none
 * @param clientKey the unencrypted PKCS#8 private key of {@code clientCert}; null = none
 */
record TlsSettings(Path ca, Path clientCert, Path clientKey) {

  static TlsSettings parse(Settings tls) throws ConfigException {
    tls.rejectUnknownKeys(Set.of("ca", "clientCert", "clientKey"));
    Path ca = file(tls, "ca");
    Path cert = file(tls, "clientCert");
    Path key = file(tls, "clientKey");
    if ((cert == null) != (key == null)) {
      throw tls.error(
          cert == null ? "clientCert" : "clientKey",
          "a client certificate needs both clientCert and clientKey",
          "give both PEM files, or neither");
    }
    return new TlsSettings(ca, cert, key);
  }

  private static Path file(Settings tls, String key) throws ConfigException {
    if (!tls.has(key)) {
      return null;
    }
    Path p = Path.of(tls.string(key));
    // Checking readability is cheap and turns a start-time TLS failure into a config message.
    if (!Files.isReadable(p)) {
      throw tls.error(key, "cannot read " + p, "check the path and that the gateway may read it");
    }
    return p;
  }
}
