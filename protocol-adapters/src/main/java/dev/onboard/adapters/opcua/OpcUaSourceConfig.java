package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.DeviceSpec;
import dev.onboard.gateway.spi.Secret;
import dev.onboard.gateway.spi.Settings;
import dev.onboard.gateway.spi.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One OPC UA source's settings, validated without I/O. Immutable.
 *
 * <pre>{@code
 * endpoint: opc.tcp://host:4840/path
 * security: { policy: none | basic256sha256 | aes128-sha256-rsaoaep | aes256-sha256-rsapss | best,
 *             mode: sign | sign-and-encrypt }
 * auth: { username: u, password: {env: VAR} }
 *    or { certificate: user.der, privateKey: {file: /etc/onboard/user-key.pem} }
 * subscription: { samplingInterval: 250ms, publishingInterval: 500ms, queueSize: 10, deadband: 0 }
 * browse: { startNode: "ns=2;s=Devices", variables: ".*" }
 * clockSkewTolerance: 2s
 * frozenAfter: 10m
 * }</pre>
 *
 * @param endpoint the server's endpoint URL
 * @param policy the security policy, {@link Policy#BEST} for the strongest the server offers
 * @param mode the message security mode; empty means the strongest offered for the policy
 * @param username empty for anonymous or X.509
 * @param password present exactly when {@code username} is
 * @param userCertificate the X.509 user identity, instead of a username
 * @param subscription the endpoint's subscription defaults
 * @param browse where browse-addressed devices live and which variables to take
 * @param clockSkewTolerance how far a source timestamp may be from receive time before the device
 *     is flagged (beyond the publishing and sampling delay a value may legitimately have)
 * @param frozenAfter after this long without a changed value on any of its tags, a device is
 *     flagged FROZEN_VALUES and no longer confirmed alive by keep-alives
 * @param devices one binding per inventory device, in configuration order
 */
record OpcUaSourceConfig(
    String endpoint,
    Policy policy,
    Optional<Mode> mode,
    Optional<String> username,
    Optional<Secret> password,
    Optional<UserCertificate> userCertificate,
    SubscriptionSettings subscription,
    Optional<BrowseRule> browse,
    Duration clockSkewTolerance,
    Duration frozenAfter,
    List<DeviceBinding> devices) {

  /** Security policies by their configuration names. */
  enum Policy {
    NONE,
    BASIC256SHA256,
    AES128_SHA256_RSAOAEP,
    AES256_SHA256_RSAPSS,
    BEST
  }

  /** Message security modes by their configuration names. */
  enum Mode {
    SIGN,
    SIGN_AND_ENCRYPT
  }

  /**
   * Monitored item and subscription parameters.
   *
   * @param samplingInterval how often the server samples each variable
   * @param publishingInterval how often the server sends what changed
   * @param queueSize values the server keeps per item between publishes
   * @param deadband absolute deadband in the variable's unit; 0 reports every change
   */
  record SubscriptionSettings(
      Duration samplingInterval, Duration publishingInterval, int queueSize, double deadband) {}

  /**
   * An X.509 user identity: the certificate the server knows the user by and its RSA key.
   *
   * @param file where the certificate was read from, for messages
   */
  record UserCertificate(X509Certificate certificate, PrivateKey privateKey, Path file) {
    @Override
    public String toString() {
      return "UserCertificate[" + certificate.getSubjectX500Principal().getName() + "]";
    }
  }

  /**
   * @param startNode the folder whose child objects are devices, as a NodeId string ({@code
   *     ns=2;s=Devices} or {@code nsu=urn:...;s=Devices})
   * @param variables regex on a variable's browse name; only matching signals are subscribed
   */
  record BrowseRule(String startNode, Pattern variables) {}

  /**
   * Where one inventory device is on the server: exactly one of {@code browseName} or {@code
   * nodeIds}.
   *
   * @param deviceId the inventory id
   * @param browseName the device object's browse name under {@code browse.startNode}
   * @param nodeIds tag name → NodeId string, in configuration order
   * @param samplingInterval this device's sampling interval (the endpoint's unless overridden)
   * @param publishingInterval how often the server sends this device's changes (the endpoint's
   *     unless overridden); devices sharing an interval share a subscription
   * @param queueSize this device's queue size (the endpoint's unless overridden)
   * @param deadband this device's absolute deadband (the endpoint's unless overridden)
   */
  record DeviceBinding(
      String deviceId,
      Optional<String> browseName,
      Map<String, String> nodeIds,
      Duration samplingInterval,
      Duration publishingInterval,
      int queueSize,
      double deadband) {}

  static final Set<String> SOURCE_KEYS =
      Set.of(
          "endpoint",
          "security",
          "auth",
          "subscription",
          "browse",
          "clockSkewTolerance",
          "frozenAfter");

  /** Reads and checks a source's settings and its devices' addresses. */
  static OpcUaSourceConfig parse(SourceSpec spec) throws ConfigException {
    Settings s = spec.settings();
    s.rejectUnknownKeys(SOURCE_KEYS);

    String endpoint = s.string("endpoint");
    if (!endpoint.startsWith("opc.tcp://") || endpoint.length() <= "opc.tcp://".length()) {
      throw s.error(
          "endpoint",
          "'" + endpoint + "' is not an opc.tcp URL",
          "write e.g. opc.tcp://192.168.0.10:4840/path");
    }

    Settings security = s.section("security");
    security.rejectUnknownKeys(Set.of("policy", "mode"));
    Policy policy = security.enumValue("policy", Policy.class, Policy.BEST);
    Optional<Mode> mode = Optional.ofNullable(security.enumValue("mode", Mode.class, null));
    if (policy == Policy.NONE && mode.isPresent()) {
      throw security.error(
          "mode", "policy none has no sign or encrypt mode", "remove mode, or choose a policy");
    }

    Settings auth = s.section("auth");
    auth.rejectUnknownKeys(Set.of("username", "password", "certificate", "privateKey"));
    Optional<String> username = auth.optionalString("username");
    Optional<Secret> password = auth.secret("password");
    if (username.isPresent() && password.isEmpty()) {
      throw auth.error(
          "password", "missing for username " + username.get(), "add password: {env: VARIABLE}");
    }
    if (username.isEmpty() && password.isPresent()) {
      throw auth.error("username", "missing next to a password", "add username: <user>");
    }
    Optional<UserCertificate> userCertificate = userCertificate(auth);
    if (userCertificate.isPresent() && username.isPresent()) {
      throw auth.error(
          "certificate",
          "a session has one user identity, not both a username and a certificate",
          "keep either username/password or certificate/privateKey");
    }

    Settings sub = s.section("subscription");
    sub.rejectUnknownKeys(
        Set.of("samplingInterval", "publishingInterval", "queueSize", "deadband"));
    SubscriptionSettings subscription =
        new SubscriptionSettings(
            sub.duration("samplingInterval", Duration.ofMillis(250)),
            sub.duration("publishingInterval", Duration.ofMillis(500)),
            sub.integer("queueSize", 10, 1, 10_000),
            deadband(sub));

    Settings br = s.section("browse");
    br.rejectUnknownKeys(Set.of("startNode", "variables"));
    Optional<BrowseRule> browse = Optional.empty();
    if (br.has("startNode")) {
      String start = br.string("startNode");
      NodeIdText.check(br, "startNode", start);
      browse = Optional.of(new BrowseRule(start, regex(br, "variables")));
    } else if (br.has("variables")) {
      throw br.error("startNode", "missing next to variables", "add startNode: \"ns=2;s=Devices\"");
    }

    List<DeviceBinding> devices = new ArrayList<>();
    for (DeviceSpec device : spec.devices()) {
      devices.add(binding(device, browse.isPresent(), subscription));
    }
    if (policy == Policy.NONE && userCertificate.isPresent()) {
      throw auth.error(
          "certificate",
          "an X.509 user identity must be signed over a secured channel",
          "choose a security.policy other than none, or use username/password");
    }
    return new OpcUaSourceConfig(
        endpoint,
        policy,
        mode,
        username,
        password,
        userCertificate,
        subscription,
        browse,
        s.duration("clockSkewTolerance", Duration.ofSeconds(2)),
        s.duration("frozenAfter", Duration.ofMinutes(10)),
        List.copyOf(devices));
  }

  private static Optional<UserCertificate> userCertificate(Settings auth) throws ConfigException {
    if (!auth.has("certificate") && !auth.has("privateKey")) {
      return Optional.empty();
    }
    if (!auth.has("privateKey")) {
      throw auth.error(
          "privateKey",
          "missing next to a certificate",
          "add privateKey: {file: /path/to/key.pem} (PKCS#8 PEM)");
    }
    Path file = Path.of(auth.string("certificate"));
    if (!file.isAbsolute()) {
      Path base = Path.of(auth.file()).toAbsolutePath().getParent();
      file = base == null ? file : base.resolve(file).normalize();
    }
    X509Certificate cert;
    try (var in = Files.newInputStream(file)) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (Exception e) {
      throw auth.error(
          "certificate",
          "cannot read an X.509 certificate from "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          "give a DER or PEM certificate file; a relative path is relative to the configuration file");
    }
    Secret keyText = auth.secret("privateKey").orElseThrow();
    PrivateKey key;
    try {
      String pem =
          keyText
              .reveal()
              .replace("-----BEGIN PRIVATE KEY-----", "")
              .replace("-----END PRIVATE KEY-----", "")
              .replaceAll("\\s", "");
      key =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    } catch (Exception e) {
      throw auth.error(
          "privateKey",
          keyText + " is not an unencrypted PKCS#8 RSA key in PEM",
          "convert it: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
    }
    if (!(cert.getPublicKey() instanceof RSAPublicKey pub)
        || !(key instanceof RSAPrivateCrtKey priv)
        || !pub.getModulus().equals(priv.getModulus())) {
      throw auth.error(
          "privateKey",
          keyText + " is not the key of the certificate in " + file,
          "give the private key that belongs to that certificate");
    }
    return Optional.of(new UserCertificate(cert, key, file));
  }

  private static DeviceBinding binding(
      DeviceSpec device, boolean browseConfigured, SubscriptionSettings defaults)
      throws ConfigException {
    Settings a = device.address();
    a.rejectUnknownKeys(
        Set.of(
            "browseName",
            "nodeIds",
            "samplingInterval",
            "publishingInterval",
            "queueSize",
            "deadband"));
    if (a.has("browseName") == a.has("nodeIds")) {
      throw a.error(
          a.has("browseName") ? "nodeIds" : "browseName",
          "give exactly one of browseName or nodeIds for device " + device.id(),
          "write browseName: CNC-01, or nodeIds: {Tag: \"ns=2;s=...\"}");
    }
    Optional<String> browseName = a.optionalString("browseName");
    if (browseName.isPresent() && !browseConfigured) {
      throw a.error(
          "browseName",
          "a browse name needs the source's browse.startNode",
          "add browse: {startNode: \"ns=2;s=Devices\"} to the source, or use nodeIds");
    }
    Map<String, String> nodeIds = new LinkedHashMap<>();
    if (a.has("nodeIds")) {
      Settings ids = a.section("nodeIds");
      for (String tag : ids.keys()) {
        String id = ids.string(tag);
        NodeIdText.check(ids, tag, id);
        nodeIds.put(tag, id);
      }
      if (nodeIds.isEmpty()) {
        throw a.error("nodeIds", "is empty", "list at least one Tag: \"ns=2;s=...\"");
      }
    }
    return new DeviceBinding(
        device.id(),
        browseName,
        java.util.Collections.unmodifiableMap(nodeIds),
        a.duration("samplingInterval", defaults.samplingInterval()),
        a.duration("publishingInterval", defaults.publishingInterval()),
        a.integer("queueSize", defaults.queueSize(), 1, 10_000),
        a.has("deadband") ? deadband(a) : defaults.deadband());
  }

  private static double deadband(Settings sub) throws ConfigException {
    Optional<String> text = sub.optionalString("deadband");
    if (text.isEmpty()) {
      return 0;
    }
    try {
      double d = Double.parseDouble(text.get());
      if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw sub.error(
          "deadband",
          "'" + text.get() + "' is not a non-negative number",
          "write an absolute deadband in the variable's unit, e.g. 0.5, or 0 for every change");
    }
  }

  private static Pattern regex(Settings s, String key) throws ConfigException {
    String text = s.string(key, ".*");
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw s.error(
          key,
          "'" + text + "' is not a valid regular expression (" + e.getDescription() + ")",
          "write a Java regex on variable browse names, e.g. \".*\" or \"Spindle.*|PowerKw\"");
    }
  }

  /** For logs and status: the endpoint and security, never the password. */
  @Override
  public String toString() {
    return "OpcUaSourceConfig["
        + endpoint
        + " "
        + policy
        + mode.map(m -> " " + m).orElse("")
        + username
            .map(u -> " user " + u)
            .orElse(userCertificate.map(c -> " " + c).orElse(" anonymous"))
        + ", "
        + devices.size()
        + " devices]";
  }
}
