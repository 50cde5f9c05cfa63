package dev.onboard.adapters.mqtt.sparkplug;

import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.Settings;
import java.time.Duration;
import java.util.Set;

/**
 * A source's {@code sparkplug:} section, validated. Immutable.
 *
 * @param hostId when set, the gateway is a Sparkplug 3.0 primary host: it publishes a retained
 *     {@code spBv1.0/STATE/<hostId>} {@code online} message after connecting, with the {@code
 *     offline} one as its Will; null = no STATE
 * @param reorderTimeout how long a seq gap may stay open waiting for the missing message before the
 *     host asks the edge node to rebirth
 * @param rebirthInterval at most one rebirth request per edge node this often
 * @param serialMetric the birth metric carrying the serial number
 * @param manufacturerMetric the birth metric carrying the manufacturer
 * @param modelMetric the birth metric carrying the model
 */
public record SparkplugSettings(
    String hostId,
    Duration reorderTimeout,
    Duration rebirthInterval,
    String serialMetric,
    String manufacturerMetric,
    String modelMetric) {

  public static final Duration DEFAULT_REORDER_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_REBIRTH_INTERVAL = Duration.ofSeconds(10);

  public static SparkplugSettings parse(Settings s) throws ConfigException {
    s.rejectUnknownKeys(Set.of("hostId", "reorderTimeout", "rebirthInterval", "identity"));
    String hostId = s.optionalString("hostId").orElse(null);
    if (hostId != null && !validId(hostId)) {
      throw s.error(
          "hostId",
          "'" + hostId + "' may not contain /, + or #",
          "use a plain name, e.g. hostId: onboard-plant1");
    }
    Settings identity = s.section("identity");
    identity.rejectUnknownKeys(Set.of("serialNumber", "manufacturer", "model"));
    return new SparkplugSettings(
        hostId,
        s.duration("reorderTimeout", DEFAULT_REORDER_TIMEOUT),
        s.duration("rebirthInterval", DEFAULT_REBIRTH_INTERVAL),
        identity.string("serialNumber", "Properties/Serial Number"),
        identity.string("manufacturer", "Properties/Manufacturer"),
        identity.string("model", "Properties/Model"));
  }

  /** A Sparkplug id: not empty, no topic separators or wildcards. */
  static boolean validId(String id) {
    return !id.isEmpty() && id.indexOf('/') < 0 && id.indexOf('+') < 0 && id.indexOf('#') < 0;
  }
}
