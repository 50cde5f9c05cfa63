package dev.onboard.adapters.mqtt;

import dev.onboard.adapters.mqtt.sparkplug.SparkplugSettings;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.Secret;
import dev.onboard.gateway.spi.Settings;
import dev.onboard.gateway.spi.SourceSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Set;

/**
 * One {@code protocol: mqtt} source's settings, validated. Immutable.
 *
 * @param broker {@code tcp://host:port} or {@code ssl://host:port}
 * @param version the MQTT version spoken to the broker
 * @param clientId the gateway's client id (default {@code onboard-<source id>})
 * @param cleanStart false (the default) keeps a persistent session, so QoS 1 messages published
 *     while the gateway was away are delivered when it returns
 * @param sessionExpiry MQTT 5 only: how long the broker keeps the session of a disconnected gateway
 * @param keepAlive MQTT keep-alive interval, whole seconds
 * @param qos subscription QoS, 0, 1 or 2
 * @param username optional
 * @param password optional, from env or file
 * @param tls optional; null = no client TLS files (an {@code ssl://} broker then uses the JDK's
 *     trust store)
 * @param json the JSON device mapping; null when the source has only Sparkplug devices
 * @param sparkplug the Sparkplug B host settings (defaults when the section is absent)
 * @param maxPayloadBytes larger payloads are refused as OVERSIZE
 * @param clockSkewTolerance how far a source timestamp may be from the receive time before the
 *     device is flagged CLOCK_SKEW
 */
record MqttSourceConfig(
    String broker,
    MqttVersion version,
    String clientId,
    boolean cleanStart,
    Duration sessionExpiry,
    Duration keepAlive,
    int qos,
    String username,
    Secret password,
    TlsSettings tls,
    JsonMapping json,
    SparkplugSettings sparkplug,
    int maxPayloadBytes,
    Duration clockSkewTolerance) {

  static final Set<String> KEYS =
      Set.of(
          "broker",
          "version",
          "clientId",
          "cleanStart",
          "sessionExpiry",
          "keepAlive",
          "qos",
          "username",
          "password",
          "tls",
          "json",
          "sparkplug",
          "maxPayloadBytes",
          "clockSkewTolerance");

  static MqttSourceConfig parse(SourceSpec spec) throws ConfigException {
    Settings s = spec.settings();
    s.rejectUnknownKeys(KEYS);
    String broker = broker(s);
    MqttVersion version = version(s);
    Duration keepAlive = s.duration("keepAlive", Duration.ofSeconds(30));
    if (keepAlive.toSeconds() < 1 || keepAlive.toSeconds() > 65_535) {
      throw s.error("keepAlive", "must be from 1s to 65535s", "write e.g. keepAlive: 30s");
    }
    TlsSettings tls = s.has("tls") ? TlsSettings.parse(s.section("tls")) : null;
    if (tls != null && !broker.startsWith("ssl://")) {
      throw s.error("tls", "is set but the broker URL is not ssl://", "write broker: ssl://...");
    }
    if (!s.has("json") && !s.has("sparkplug") && !hasSparkplugDevice(spec)) {
      throw s.error(
          "json",
          "missing, and no device has a Sparkplug address",
          "add a json: section with at least topic: ..., or give devices Sparkplug addresses"
              + " {group: G, edgeNode: E, device: D}");
    }
    return new MqttSourceConfig(
        broker,
        version,
        s.string("clientId", "onboard-" + spec.id()),
        s.bool("cleanStart", false),
        s.duration("sessionExpiry", Duration.ofDays(1)),
        keepAlive,
        s.integer("qos", 1, 0, 2),
        s.optionalString("username").orElse(null),
        s.secret("password").orElse(null),
        tls,
        s.has("json") ? JsonMapping.parse(s.section("json")) : null,
        SparkplugSettings.parse(s.section("sparkplug")),
        s.integer("maxPayloadBytes", 256 * 1024, 64, 256 * 1024 * 1024),
        s.duration("clockSkewTolerance", Duration.ofSeconds(2)));
  }

  private static boolean hasSparkplugDevice(SourceSpec spec) {
    return spec.devices().stream()
        .anyMatch(dev.onboard.adapters.mqtt.sparkplug.SparkplugDirectory::isSparkplug);
  }

  private static String broker(Settings s) throws ConfigException {
    String broker = s.string("broker");
    String fix = "write e.g. broker: tcp://127.0.0.1:1883 or ssl://broker.example:8883";
    try {
      URI uri = new URI(broker);
      if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme())) {
        throw s.error("broker", "'" + broker + "' must start with tcp:// or ssl://", fix);
      }
      if (uri.getHost() == null || uri.getPort() < 1) {
        throw s.error("broker", "'" + broker + "' needs a host and a port", fix);
      }
    } catch (URISyntaxException e) {
      throw s.error("broker", "'" + broker + "' is not a URL", fix);
    }
    return broker;
  }

  private static MqttVersion version(Settings s) throws ConfigException {
    String text = s.string("version", "5");
    MqttVersion v = MqttVersion.parse(text);
    if (v == null) {
      throw s.error(
          "version",
          "'" + text + "' is not an MQTT version this adapter speaks",
          "write version: \"5\" or version: \"3.1.1\" (Moquette needs 3.1.1)");
    }
    return v;
  }
}
