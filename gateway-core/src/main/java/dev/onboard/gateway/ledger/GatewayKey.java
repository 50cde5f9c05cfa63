package dev.onboard.gateway.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The gateway's Ed25519 signing key (JDK built-in), created on first start under {@code
 * dataDir/keys}: {@code gateway-ed25519.key} (PKCS#8, PEM, readable by its owner only) and {@code
 * gateway-ed25519.pub} (X.509 SubjectPublicKeyInfo, PEM) for auditors. A private key file that
 * others can read is refused, never silently used.
 *
 * <p>Thread-safety: immutable; {@link #sign} creates a Signature per call.
 */
public final class GatewayKey {

  static final String PRIVATE = "gateway-ed25519.key";
  static final String PUBLIC = "gateway-ed25519.pub";

  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  private GatewayKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** Loads the key from {@code dir}, creating it on first use. */
  public static GatewayKey loadOrCreate(Path dir) throws IOException {
    Path key = dir.resolve(PRIVATE);
    if (!Files.exists(key)) {
      create(dir);
    }
    return load(dir);
  }

  /**
   * Loads the existing key from {@code dir} (for commands that sign with the gateway's key but must
   * never make a new one).
   *
   * @throws java.nio.file.NoSuchFileException when the gateway never created its key there
   */
  public static GatewayKey load(Path dir) throws IOException {
    Path key = dir.resolve(PRIVATE);
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
    if (!EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
        .containsAll(perms)) {
      throw new IOException(
          key
              + " is readable by others ("
              + PosixFilePermissions.toString(perms)
              + "): the gateway will not sign with it. Fix: chmod 600 "
              + key);
    }
    try {
      KeyFactory f = KeyFactory.getInstance("Ed25519");
      PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(pem(Files.readString(key))));
      PublicKey pub =
          f.generatePublic(new X509EncodedKeySpec(pem(Files.readString(dir.resolve(PUBLIC)))));
      return new GatewayKey(priv, pub);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("cannot read the gateway key in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void create(Path dir) throws IOException {
    Files.createDirectories(dir);
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
    Path key = dir.resolve(PRIVATE);
    try {
      // Created with owner-only permissions, so the key is never readable by others, even briefly.
      Files.createFile(
          key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return;
    }
    Files.writeString(key, toPem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.writeString(dir.resolve(PUBLIC), toPem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  /** Where the public key auditors get is kept, in the key directory {@code dir}. */
  public static Path publicKeyFile(Path dir) {
    return dir.resolve(PUBLIC);
  }

  /**
   * The key's fingerprint: {@code sha256:} and the hex SHA-256 of its X.509 encoding, so a report
   * can say which key signed it.
   */
  public static String fingerprint(PublicKey key) {
    try {
      return "sha256:"
          + java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Reads a public key file as written by the gateway, for verifiers. */
  public static PublicKey readPublicKey(Path file) throws IOException {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(pem(Files.readString(file))));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + " is not an Ed25519 public key in PEM: " + e.getMessage(), e);
    }
  }

  public byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The public key as PEM, to hand to auditors. */
  public String publicKeyPem() {
    return toPem("PUBLIC KEY", publicKey.getEncoded());
  }

  private static String toPem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] pem(String text) {
    String body = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }
}
