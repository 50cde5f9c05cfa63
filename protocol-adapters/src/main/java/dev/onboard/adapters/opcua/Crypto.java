package dev.onboard.adapters.opcua;

import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Makes sure the JVM can do every OPC UA security policy: Aes256_Sha256_RsaPss signs with {@code
 * SHA256withRSA/PSS}, which the JDK does not offer under that name. Bouncy Castle is added after
 * the JDK's own providers, so it only serves what they lack. Thread-safe and idempotent.
 */
final class Crypto {

  private Crypto() {}

  static synchronized void ensureProviders() {
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }
}
