package dev.onboard.simulator.opcua;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

/**
 * What one simulated OPC UA server offers. Immutable.
 *
 * @param name a short name, part of the server's ApplicationUri ({@code
 *     urn:onboard:simulator:NAME})
 * @param bindAddress where to listen, default {@code 127.0.0.1}
 * @param port the TCP port; 0 picks a free one on first start and keeps it for restarts
 * @param path the endpoint path, e.g. {@code /onboard}
 * @param security the endpoints offered; at least one
 * @param users username → password accepted by the server
 * @param userCertificates X.509 user certificates accepted as user identity
 * @param devices the devices under {@code Objects/Devices}, names unique
 */
public record SimulatedOpcUaServerConfig(
    String name,
    String bindAddress,
    int port,
    String path,
    Set<Security> security,
    Map<String, String> users,
    List<X509Certificate> userCertificates,
    List<OpcUaDeviceSpec> devices) {

  /**
   * The endpoints a simulated server can offer: a security policy with a message security mode. The
   * configuration name is the constant's name in lower case with {@code -}, e.g. {@code
   * basic256sha256-sign-and-encrypt}.
   */
  public enum Security {
    /** No signing, no encryption. */
    NONE(SecurityPolicy.None, MessageSecurityMode.None),
    BASIC256SHA256_SIGN(SecurityPolicy.Basic256Sha256, MessageSecurityMode.Sign),
    BASIC256SHA256_SIGN_AND_ENCRYPT(
        SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt),
    AES128_SHA256_RSAOAEP_SIGN(SecurityPolicy.Aes128_Sha256_RsaOaep, MessageSecurityMode.Sign),
    AES128_SHA256_RSAOAEP_SIGN_AND_ENCRYPT(
        SecurityPolicy.Aes128_Sha256_RsaOaep, MessageSecurityMode.SignAndEncrypt),
    AES256_SHA256_RSAPSS_SIGN(SecurityPolicy.Aes256_Sha256_RsaPss, MessageSecurityMode.Sign),
    AES256_SHA256_RSAPSS_SIGN_AND_ENCRYPT(
        SecurityPolicy.Aes256_Sha256_RsaPss, MessageSecurityMode.SignAndEncrypt);

    private final SecurityPolicy policy;
    private final MessageSecurityMode mode;

    Security(SecurityPolicy policy, MessageSecurityMode mode) {
      this.policy = policy;
      this.mode = mode;
    }

    public SecurityPolicy policy() {
      return policy;
    }

    public MessageSecurityMode mode() {
      return mode;
    }

    /** Every secured endpoint: three policies, each with Sign and SignAndEncrypt. */
    public static Set<Security> secured() {
      return EnumSet.complementOf(EnumSet.of(NONE));
    }

    /** Parses a configuration name such as {@code aes256-sha256-rsapss-sign}. */
    public static Security parse(String text) {
      String wanted = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (Security s : values()) {
        if (s.name().equals(wanted)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "unknown endpoint security '"
              + text
              + "'; use one of "
              + Arrays.stream(values()).map(Security::configName).toList());
    }

    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public SimulatedOpcUaServerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(path, "path");
    security = Set.copyOf(security);
    users = Map.copyOf(users);
    userCertificates = List.copyOf(userCertificates);
    devices = List.copyOf(devices);
    if (security.isEmpty()) {
      throw new IllegalArgumentException("a server needs at least one endpoint security");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    if (devices.stream().map(OpcUaDeviceSpec::name).distinct().count() != devices.size()) {
      throw new IllegalArgumentException("device names must be unique on one server");
    }
  }

  /** An unsecured, anonymous server on a free loopback port at {@code /onboard}. */
  public static SimulatedOpcUaServerConfig of(String name, List<OpcUaDeviceSpec> devices) {
    return new SimulatedOpcUaServerConfig(
        name, "127.0.0.1", 0, "/onboard", Set.of(Security.NONE), Map.of(), List.of(), devices);
  }

  public SimulatedOpcUaServerConfig withPort(int newPort) {
    return new SimulatedOpcUaServerConfig(
        name, bindAddress, newPort, path, security, users, userCertificates, devices);
  }

  public SimulatedOpcUaServerConfig withSecurity(Set<Security> newSecurity) {
    return new SimulatedOpcUaServerConfig(
        name, bindAddress, port, path, newSecurity, users, userCertificates, devices);
  }

  /**
   * Only these users may open a session (anonymous is refused unless no user of any kind is
   * configured).
   */
  public SimulatedOpcUaServerConfig withUsers(Map<String, String> newUsers) {
    return new SimulatedOpcUaServerConfig(
        name, bindAddress, port, path, security, newUsers, userCertificates, devices);
  }

  /** These X.509 user certificates identify users (token type Certificate). */
  public SimulatedOpcUaServerConfig withUserCertificates(List<X509Certificate> certificates) {
    return new SimulatedOpcUaServerConfig(
        name, bindAddress, port, path, security, users, certificates, devices);
  }

  public SimulatedOpcUaServerConfig withDevices(List<OpcUaDeviceSpec> newDevices) {
    return new SimulatedOpcUaServerConfig(
        name, bindAddress, port, path, security, users, userCertificates, newDevices);
  }

  /** Whether anonymous sessions are accepted: only when no user of any kind is configured. */
  public boolean anonymous() {
    return users.isEmpty() && userCertificates.isEmpty();
  }

  /** The server's ApplicationUri, also in its certificate. */
  public String applicationUri() {
    return "urn:onboard:simulator:" + name;
  }
}
