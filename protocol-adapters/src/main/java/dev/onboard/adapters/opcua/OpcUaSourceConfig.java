package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.DeviceSpec;
import dev.onboard.gateway.spi.Secret;
import dev.onboard.gateway.spi.Settings;
import dev.onboard.gateway.spi.SourceSpec;
import java.time.Duration;
import java.util.ArrayList;
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
 * subscription: { samplingInterval: 250ms, publishingInterval: 500ms, queueSize: 10, deadband: 0 }
 * browse: { startNode: "ns=2;s=Devices", variables: ".*" }
 * clockSkewTolerance: 2s
 * }</pre>
 *
 * @param endpoint the server's endpoint URL
 * @param policy the security policy, {@link Policy#BEST} for the strongest the server offers
 * @param mode the message security mode; empty means the strongest offered for the policy
 * @param username empty for anonymous
 * @param password present exactly when {@code username} is
 * @param subscription the endpoint's subscription defaults
 * @param browse where browse-addressed devices live and which variables to take
 * @param clockSkewTolerance how far a source timestamp may be from receive time before the device
 *     is flagged
 * @param devices one binding per inventory device, in configuration order
 */
record OpcUaSourceConfig(
    String endpoint,
    Policy policy,
    Optional<Mode> mode,
    Optional<String> username,
    Optional<Secret> password,
    SubscriptionSettings subscription,
    Optional<BrowseRule> browse,
    Duration clockSkewTolerance,
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
   * @param queueSize this device's queue size (the endpoint's unless overridden)
   */
  record DeviceBinding(
      String deviceId,
      Optional<String> browseName,
      Map<String, String> nodeIds,
      Duration samplingInterval,
      int queueSize) {}

  static final Set<String> SOURCE_KEYS =
      Set.of("endpoint", "security", "auth", "subscription", "browse", "clockSkewTolerance");

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
    auth.rejectUnknownKeys(Set.of("username", "password"));
    Optional<String> username = auth.optionalString("username");
    Optional<Secret> password = auth.secret("password");
    if (username.isPresent() && password.isEmpty()) {
      throw auth.error(
          "password", "missing for username " + username.get(), "add password: {env: VARIABLE}");
    }
    if (username.isEmpty() && password.isPresent()) {
      throw auth.error("username", "missing next to a password", "add username: <user>");
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
    return new OpcUaSourceConfig(
        endpoint,
        policy,
        mode,
        username,
        password,
        subscription,
        browse,
        s.duration("clockSkewTolerance", Duration.ofSeconds(2)),
        List.copyOf(devices));
  }

  private static DeviceBinding binding(
      DeviceSpec device, boolean browseConfigured, SubscriptionSettings defaults)
      throws ConfigException {
    Settings a = device.address();
    a.rejectUnknownKeys(Set.of("browseName", "nodeIds", "samplingInterval", "queueSize"));
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
        a.integer("queueSize", defaults.queueSize(), 1, 10_000));
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
        + username.map(u -> " user " + u).orElse(" anonymous")
        + ", "
        + devices.size()
        + " devices]";
  }
}
