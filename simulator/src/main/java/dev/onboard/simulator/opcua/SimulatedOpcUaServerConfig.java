package dev.onboard.simulator.opcua;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one simulated OPC UA server offers. Immutable.
 *
 * @param name a short name, part of the server's ApplicationUri ({@code
 *     urn:onboard:simulator:NAME})
 * @param bindAddress where to listen, default {@code 127.0.0.1}
 * @param port the TCP port; 0 picks a free one on first start and keeps it for restarts
 * @param path the endpoint path, e.g. {@code /onboard}
 * @param security the endpoints offered; at least one
 * @param users username → password accepted by the server; empty means anonymous only. When
 *     non-empty, anonymous sessions are refused.
 * @param devices the devices under {@code Objects/Devices}, names unique
 */
public record SimulatedOpcUaServerConfig(
    String name,
    String bindAddress,
    int port,
    String path,
    Set<Security> security,
    Map<String, String> users,
    List<OpcUaDeviceSpec> devices) {

  /** The endpoints a simulated server can offer. */
  public enum Security {
    /** No signing, no encryption. */
    NONE,
    /** Basic256Sha256, SignAndEncrypt. */
    BASIC256SHA256_SIGN_AND_ENCRYPT
  }

  public SimulatedOpcUaServerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(path, "path");
    security = Set.copyOf(security);
    users = Map.copyOf(users);
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
        name, "127.0.0.1", 0, "/onboard", Set.of(Security.NONE), Map.of(), devices);
  }

  public SimulatedOpcUaServerConfig withPort(int newPort) {
    return new SimulatedOpcUaServerConfig(
        name, bindAddress, newPort, path, security, users, devices);
  }

  public SimulatedOpcUaServerConfig withSecurity(Set<Security> newSecurity) {
    return new SimulatedOpcUaServerConfig(
        name, bindAddress, port, path, newSecurity, users, devices);
  }

  public SimulatedOpcUaServerConfig withUsers(Map<String, String> newUsers) {
    return new SimulatedOpcUaServerConfig(
        name, bindAddress, port, path, security, newUsers, devices);
  }

  /** The server's ApplicationUri, also in its certificate. */
  public String applicationUri() {
    return "urn:onboard:simulator:" + name;
  }
}
