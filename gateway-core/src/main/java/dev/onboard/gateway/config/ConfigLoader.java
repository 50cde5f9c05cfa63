package dev.onboard.gateway.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.onboard.gateway.outbox.OutboxConfig;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.DeviceIdentity;
import dev.onboard.gateway.spi.Secret;
import dev.onboard.gateway.spi.Settings;
import dev.onboard.gateway.uplink.UplinkConfig;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.money.Rate;
import dev.onboard.meter.policy.BuiltinPolicies;
import dev.onboard.meter.policy.Overflow;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.policy.VerificationParams;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the gateway's YAML file into a {@link GatewayConfig}. Stops at the first problem with a
 * {@link ConfigException} naming the file, the key and the fix; nothing is started by loading.
 *
 * <p>Thread-safety: stateless apart from the environment lookup; safe to share.
 */
public final class ConfigLoader {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  private static final Set<String> TOP_KEYS =
      Set.of(
          "gateway",
          "liveness",
          "sources",
          "inventory",
          "http",
          "outbox",
          "uplink",
          "ledger",
          "policy");
  private static final Set<String> IDENTITY_KEYS =
      Set.of(
          DeviceIdentity.APPLICATION_URI,
          DeviceIdentity.CERTIFICATE_THUMBPRINT,
          DeviceIdentity.MANUFACTURER,
          DeviceIdentity.SERIAL_NUMBER,
          DeviceIdentity.MODEL,
          DeviceIdentity.PRODUCT_INSTANCE_URI,
          DeviceIdentity.CLIENT_ID,
          DeviceIdentity.SPARKPLUG_GROUP,
          DeviceIdentity.SPARKPLUG_EDGE_NODE,
          DeviceIdentity.SPARKPLUG_DEVICE);

  private final Function<String, String> env;

  /** A loader that reads secrets' environment variables from the process environment. */
  public ConfigLoader() {
    this(System::getenv);
  }

  /** A loader with its own environment, for tests. */
  public ConfigLoader(Function<String, String> env) {
    this.env = env;
  }

  public GatewayConfig load(Path file) throws ConfigException {
    String name = file.toString();
    Settings root = new Settings(name, "", parse(file), env);
    root.rejectUnknownKeys(TOP_KEYS);

    Settings gateway = root.section("gateway");
    gateway.rejectUnknownKeys(Set.of("id", "dataDir"));
    String gatewayId = id(gateway, "id");
    Path base = file.toAbsolutePath().getParent();
    Path dataDir = base.resolve(gateway.string("dataDir", "data")).normalize();

    LivenessTimeouts defaults =
        LivenessTimeouts.read(root.section("liveness"), LivenessTimeouts.DEFAULT);
    List<SourceConfig> sources = sources(root, defaults);
    Settings inventory = root.section("inventory");
    inventory.rejectUnknownKeys(Set.of("enterprises", "devices"));
    List<Enterprise> enterprises = enterprises(inventory);
    List<Device> devices = devices(inventory, sources, enterprises);
    Optional<HttpConfig> http =
        root.has("http") ? Optional.of(http(root.section("http"))) : Optional.empty();
    OutboxConfig outbox = outbox(root.section("outbox"), dataDir.resolve("outbox"));
    Optional<UplinkConfig> uplink =
        root.has("uplink") ? Optional.of(uplink(root.section("uplink"))) : Optional.empty();
    return new GatewayConfig(
        file,
        gatewayId,
        dataDir,
        sources,
        enterprises,
        devices,
        http,
        outbox,
        uplink,
        ledgerPeriod(root.section("ledger")),
        policy(root));
  }

  private static Map<String, Object> parse(Path file) throws ConfigException {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          name, "(file)", "does not exist", "check the path given to --config");
    } catch (IOException e) {
      throw new ConfigException(
          name, "(file)", "cannot be read: " + e.getMessage(), "check its permissions");
    }
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    try {
      Object tree = yaml.readValue(text, Object.class);
      if (!(tree instanceof Map<?, ?> map)) {
        throw new ConfigException(
            name,
            "(file)",
            "is empty or not a YAML mapping",
            "start from the example in the README");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "(file)" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(
          name,
          where,
          "is not valid YAML: " + e.getOriginalMessage(),
          "fix the syntax at that place");
    }
  }

  private List<SourceConfig> sources(Settings root, LivenessTimeouts defaults)
      throws ConfigException {
    List<SourceConfig> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Settings s : root.sections("sources")) {
      String id = id(s, "id");
      if (!seen.add(id)) {
        throw s.error(
            "id", "'" + id + "' is used by an earlier source", "give each source its own id");
      }
      String protocol = s.string("protocol");
      LivenessTimeouts liveness = LivenessTimeouts.read(s.section("liveness"), defaults);
      Map<String, Object> rest = new LinkedHashMap<>(s.asMap());
      rest.keySet().removeAll(Set.of("id", "protocol", "liveness"));
      Settings adapterSettings = new Settings(s.file(), s.path(), rest, env);
      out.add(new SourceConfig(id, protocol, adapterSettings, liveness));
    }
    return out;
  }

  private static List<Enterprise> enterprises(Settings inventory) throws ConfigException {
    List<Enterprise> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Settings e : inventory.sections("enterprises")) {
      e.rejectUnknownKeys(
          Set.of(
              "id",
              "name",
              "district",
              "independentLegalEntity",
              "sme",
              "aboveScale",
              "commitmentBroken",
              "attributes"));
      String id = id(e, "id");
      if (!seen.add(id)) {
        throw e.error(
            "id",
            "'" + id + "' is used by an earlier enterprise",
            "give each enterprise its own id");
      }
      out.add(new Enterprise(id, e.string("name"), e.string("district", ""), attributes(e)));
    }
    return out;
  }

  /** The eligibility attributes an enterprise states, by the meter's attribute names. */
  private static Map<String, String> attributes(Settings e) throws ConfigException {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, String> named =
        Map.of(
            "independentLegalEntity", "independent_legal_entity",
            "sme", "sme",
            "aboveScale", "above_scale",
            "commitmentBroken", "commitment_broken");
    for (Map.Entry<String, String> n : named.entrySet()) {
      if (e.has(n.getKey())) {
        out.put(n.getValue(), Boolean.toString(e.bool(n.getKey(), false)));
      }
    }
    Settings extra = e.section("attributes");
    for (String key : extra.keys()) {
      if (!key.matches("[a-z][a-z0-9_]{0,63}") || named.containsValue(key)) {
        throw extra.error(
            key,
            "is not an attribute name a policy can test",
            "use lower_snake_case, and the keys independentLegalEntity, sme, aboveScale and"
                + " commitmentBroken for those four");
      }
      out.put(key, extra.string(key));
    }
    return out;
  }

  private static List<Device> devices(
      Settings inventory, List<SourceConfig> sources, List<Enterprise> enterprises)
      throws ConfigException {
    List<Device> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Settings d : inventory.sections("devices")) {
      d.rejectUnknownKeys(
          Set.of(
              "id",
              "enterprise",
              "source",
              "address",
              "identity",
              "liveness",
              "onboardingCostYuan"));
      String id = id(d, "id");
      if (!seen.add(id)) {
        throw d.error(
            "id", "'" + id + "' is used by an earlier device", "give each device its own id");
      }
      String enterprise = d.string("enterprise");
      if (enterprises.stream().noneMatch(e -> e.id().equals(enterprise))) {
        throw d.error(
            "enterprise",
            "'" + enterprise + "' is not in inventory.enterprises",
            "add it there or use one of " + enterprises.stream().map(Enterprise::id).toList());
      }
      String sourceId = d.string("source");
      SourceConfig source =
          sources.stream()
              .filter(s -> s.id().equals(sourceId))
              .findFirst()
              .orElseThrow(
                  () ->
                      d.error(
                          "source",
                          "'" + sourceId + "' is not a configured source",
                          "use one of " + sources.stream().map(SourceConfig::id).toList()));
      Settings identity = d.section("identity");
      identity.rejectUnknownKeys(IDENTITY_KEYS);
      Map<String, String> claimed = new LinkedHashMap<>();
      for (String key : identity.keys()) {
        claimed.put(key, identity.string(key));
      }
      LivenessTimeouts liveness = LivenessTimeouts.read(d.section("liveness"), source.liveness());
      String cost = null;
      if (d.has("onboardingCostYuan")) {
        try {
          Money m = Money.parseYuan(d.string("onboardingCostYuan"));
          if (m.isNegative()) {
            throw new IllegalArgumentException("a cost cannot be negative");
          }
          cost = m.toYuanString();
        } catch (IllegalArgumentException e) {
          throw d.error(
              "onboardingCostYuan",
              "'" + d.string("onboardingCostYuan") + "' is not a cost in yuan: " + e.getMessage(),
              "write the invoiced amount, e.g. 1800.00; leave the key out when there is no invoice");
        }
      }
      out.add(new Device(id, enterprise, sourceId, d.section("address"), claimed, liveness, cost));
    }
    return out;
  }

  private static HttpConfig http(Settings http) throws ConfigException {
    http.rejectUnknownKeys(Set.of("bind", "tokens"));
    String bind = http.string("bind", "127.0.0.1:8080");
    int colon = bind.lastIndexOf(':');
    if (colon <= 0) {
      throw http.error(
          "bind", "'" + bind + "' has no port", "write host:port, e.g. 127.0.0.1:8080");
    }
    int port;
    try {
      port = Integer.parseInt(bind.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw http.error(
          "bind",
          "'" + bind + "' has no valid port",
          "write host:port with a port from 0 to 65535");
    }
    Settings tokens = http.section("tokens");
    tokens.rejectUnknownKeys(Set.of("operator", "auditor", "admin"));
    List<HttpConfig.Token> out = new ArrayList<>();
    for (Role role : Role.values()) {
      String key = role.name().toLowerCase(java.util.Locale.ROOT);
      Optional<Secret> secret = tokens.secret(key);
      secret.ifPresent(s -> out.add(new HttpConfig.Token(role, s)));
    }
    if (out.isEmpty()) {
      throw http.error(
          "tokens",
          "no token is configured, and the API never runs without one",
          "add e.g. 'tokens: {operator: {env: ONBOARD_OPERATOR_TOKEN}}', or remove the http section");
    }
    return new HttpConfig(bind.substring(0, colon), port, out);
  }

  private static Duration ledgerPeriod(Settings s) throws ConfigException {
    s.rejectUnknownKeys(Set.of("summaryPeriod"));
    Duration period = s.duration("summaryPeriod", Duration.ofHours(1));
    if (period.compareTo(Duration.ofMinutes(1)) < 0
        || period.compareTo(Duration.ofDays(1)) > 0
        || period.toMillis() % 60_000 != 0
        || Duration.ofDays(1).toMillis() % period.toMillis() != 0) {
      throw s.error(
          "summaryPeriod",
          "'" + period + "' does not divide a day into whole minutes",
          "use e.g. 1m, 5m, 15m, 1h or 1d");
    }
    return period;
  }

  /**
   * {@code policy}: a built-in per-device policy's name, or a mapping that starts from one ({@code
   * base}) and changes some of its values under a new {@code name}, e.g. the demo's short
   * observation window.
   */
  private static Policy policy(Settings root) throws ConfigException {
    Policy p1 = BuiltinPolicies.HUANGPU_DEVICE_2019;
    if (!root.has("policy")) {
      return p1;
    }
    if (!(root.asMap().get("policy") instanceof Map)) {
      return builtinPerDevice(root, "policy", root.string("policy"));
    }
    Settings s = root.section("policy");
    s.rejectUnknownKeys(
        Set.of(
            "base",
            "name",
            "title",
            "perDeviceAmountYuan",
            "enterpriseYearCapYuan",
            "verification"));
    Policy base = builtinPerDevice(s, "base", s.string("base", p1.name()));
    String name = s.string("name");
    if (BuiltinPolicies.byName(name).isPresent()) {
      throw s.error(
          "name",
          "'" + name + "' is a built-in policy's name, but this policy changes it",
          "give the changed policy a name of its own, e.g. " + base.name() + "-local");
    }
    if (!ID.matcher(name).matches()) {
      throw s.error(
          "name", "'" + name + "' is not a valid name", "use letters, digits and . _ : -");
    }
    Money perDevice = yuan(s, "perDeviceAmountYuan", base.perDeviceAmount());
    Money cap = yuan(s, "enterpriseYearCapYuan", base.perEnterpriseYearCap());
    VerificationParams v = verification(s.section("verification"), base.verification());
    return new Policy(
        name,
        s.string("title", base.title() + " (" + name + ")"),
        base.source(),
        base.kind(),
        perDevice,
        base.rates(),
        base.eligibleKinds(),
        cap,
        base.perProviderCap(),
        base.programmeBudget(),
        base.eligibility(),
        base.overflow(),
        base.duplicate(),
        v,
        base.activity());
  }

  private static Policy builtinPerDevice(Settings s, String key, String name)
      throws ConfigException {
    Policy p =
        BuiltinPolicies.byName(name)
            .orElseThrow(
                () ->
                    s.error(
                        key,
                        "'" + name + "' is not a built-in policy",
                        "use one of " + BuiltinPolicies.names()));
    if (p.kind() != Policy.Kind.PER_DEVICE || p.overflow() == Overflow.CARRY_OVER) {
      throw s.error(
          key,
          "'" + name + "' does not meter devices one by one, which is what reports do",
          "use huangpu-device-2019");
    }
    return p;
  }

  private static Money yuan(Settings s, String key, Money otherwise) throws ConfigException {
    if (!s.has(key)) {
      return otherwise;
    }
    try {
      Money m = Money.parseYuan(s.string(key));
      if (!m.isPositive()) {
        throw new IllegalArgumentException("it must be more than 0");
      }
      return m;
    } catch (IllegalArgumentException e) {
      throw s.error(key, "'" + s.string(key) + "': " + e.getMessage(), "write e.g. 2000.00");
    }
  }

  private static VerificationParams verification(Settings s, VerificationParams base)
      throws ConfigException {
    s.rejectUnknownKeys(
        Set.of(
            "window",
            "onlineRatio",
            "maxClockSkew",
            "minValueChanges",
            "requireArrivedCentral",
            "timeZone"));
    Duration window = s.duration("window", base.window());
    if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.toMillis() % 60_000 != 0) {
      throw s.error("window", "'" + window + "' is not whole minutes", "use e.g. 3m, 1h or 30d");
    }
    Rate ratio = base.onlineRatio();
    if (s.has("onlineRatio")) {
      try {
        ratio = Rate.parse(s.string("onlineRatio"));
      } catch (IllegalArgumentException e) {
        ratio = null;
      }
      if (ratio == null || ratio.value().compareTo(java.math.BigDecimal.ONE) > 0) {
        throw s.error(
            "onlineRatio", "'" + s.string("onlineRatio") + "' is not a ratio", "write e.g. 60%");
      }
    }
    ZoneId zone = base.zone();
    if (s.has("timeZone")) {
      try {
        zone = ZoneId.of(s.string("timeZone"));
      } catch (DateTimeException e) {
        throw s.error(
            "timeZone", "'" + s.string("timeZone") + "' is not a time zone", "e.g. Asia/Shanghai");
      }
    }
    return new VerificationParams(
        window,
        ratio,
        s.duration("maxClockSkew", Duration.ofMillis(base.maxClockSkewMillis())).toMillis(),
        s.integer("minValueChanges", (int) base.minValueChanges(), 0, Integer.MAX_VALUE),
        s.bool("requireArrivedCentral", base.requireArrivedCentral()),
        zone);
  }

  private static OutboxConfig outbox(Settings s, Path dir) throws ConfigException {
    s.rejectUnknownKeys(Set.of("quota", "telemetryFsync"));
    long quota = s.bytes("quota", OutboxConfig.DEFAULT_QUOTA);
    // Segments of a sixteenth of the quota, 16 MiB at most: dropping one frees little.
    int segment = (int) Math.max(64 << 10, Math.min(OutboxConfig.DEFAULT_SEGMENT, quota / 16));
    if (quota < 4L * segment) {
      throw s.error("quota", "is too small for the outbox", "give at least 1MiB");
    }
    return new OutboxConfig(
        dir, quota, segment, s.duration("telemetryFsync", OutboxConfig.DEFAULT_FSYNC));
  }

  private static UplinkConfig uplink(Settings s) throws ConfigException {
    s.rejectUnknownKeys(
        Set.of(
            "url",
            "database",
            "retentionPolicy",
            "username",
            "password",
            "token",
            "batchPoints",
            "timeout",
            "gzip",
            "writers",
            "linger"));
    String url = s.string("url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw s.error(
          "url", "'" + url + "' is not an http(s) URL", "write e.g. http://10.0.0.5:8086");
    }
    if (s.has("username") != s.has("password")) {
      throw s.error(
          s.has("username") ? "password" : "username",
          "is missing",
          "give both username and password, or neither");
    }
    UplinkConfig d = UplinkConfig.of(uri, s.string("database"));
    return new UplinkConfig(
        uri,
        d.database(),
        s.string("retentionPolicy", ""),
        s.optionalString("username"),
        s.secret("password"),
        s.secret("token"),
        s.integer("batchPoints", d.batchPoints(), 1, 100_000),
        d.batchBytes(),
        s.duration("timeout", d.requestTimeout()),
        d.minBackoff(),
        d.maxBackoff(),
        s.bool("gzip", d.gzip()),
        s.integer("writers", d.writers(), 1, 8),
        linger(s, d.linger()));
  }

  private static Duration linger(Settings s, Duration defaultValue) throws ConfigException {
    Duration linger = s.duration("linger", defaultValue);
    if (linger.toMillis() < 1 || linger.compareTo(UplinkConfig.MAX_LINGER) > 0) {
      throw s.error(
          "linger",
          "'" + s.string("linger") + "' is outside 1ms to 1m",
          "write e.g. 1s; longer holds the platform's view of telemetry back");
    }
    return linger;
  }

  private static String id(Settings s, String key) throws ConfigException {
    String id = s.string(key);
    if (!ID.matcher(id).matches()) {
      throw s.error(
          key,
          "'" + id + "' is not a valid id",
          "use letters, digits and . _ : - (at most 128, starting with a letter or digit)");
    }
    return id;
  }
}
