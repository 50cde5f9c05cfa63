package dev.onboard.gateway.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onboard.gateway.uplink.InfluxHttp;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Reads connected-device counts from the central store. Every count is computed by InfluxDB:
 * per-device aggregates in a subquery, counted by the outer query with {@code GROUP BY}, so what
 * comes back is one row per group, never a raw point. Works on InfluxDB 1.x (subqueries since 1.2)
 * and on the v1-compatible query endpoints of 2.x/3.x.
 *
 * <p>"Now" is the last {@link #RECENT} of {@code device_presence}: a device whose gateway stopped
 * reporting drops out instead of staying online forever. Thread-safety: safe to share.
 */
public final class PlatformView {

  /** How far back "now" looks: the last two complete minutes of presence and a margin. */
  public static final Duration RECENT = Duration.ofMinutes(3);

  private static final List<String> STATES = List.of("ONLINE", "STALE", "OFFLINE", "UNKNOWN");
  private final InfluxHttp influx;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  public PlatformView(InfluxHttp influx, Clock clock) {
    this.influx = influx;
    this.clock = clock;
  }

  /**
   * Counts now, and devices online per {@code every} over the last {@code range}.
   *
   * @throws IOException when the store is away or refuses the queries
   */
  public PlatformCounts counts(Duration range, Duration every)
      throws IOException, InterruptedException {
    Map<String, long[]> groups = new TreeMap<>();
    Map<String, Map<String, Long>> states = new TreeMap<>();
    String recent = "time > now() - " + RECENT.toSeconds() + "s";

    String perDevice =
        "SELECT max(online_ms) AS online FROM device_presence WHERE "
            + recent
            + " GROUP BY device, enterprise, protocol, gateway";
    eachGroup(
        "SELECT count(online) FROM (" + perDevice + ") GROUP BY enterprise, protocol",
        (key, n) -> groups.computeIfAbsent(key, k -> new long[2])[0] = n);
    eachGroup(
        "SELECT count(online) FROM ("
            + perDevice
            + ") WHERE online > 0 GROUP BY enterprise, protocol",
        (key, n) -> groups.computeIfAbsent(key, k -> new long[2])[1] = n);
    String lastState =
        "SELECT last(state) AS state FROM device_status WHERE time > now() - "
            + range.toSeconds()
            + "s GROUP BY device, enterprise, protocol, gateway";
    for (String state : STATES) {
      eachGroup(
          "SELECT count(state) FROM ("
              + lastState
              + ") WHERE state = '"
              + state
              + "' GROUP BY enterprise, protocol",
          (key, n) -> {
            states.computeIfAbsent(key, k -> new TreeMap<>()).put(state, n);
            groups.computeIfAbsent(key, k -> new long[2]);
          });
    }
    List<PlatformCounts.Group> now = new ArrayList<>();
    groups.forEach(
        (key, n) -> {
          String[] ep = key.split("\u0000", 2);
          Map<String, Long> byState = new TreeMap<>();
          STATES.forEach(
              s -> byState.put(s, states.getOrDefault(key, Map.of()).getOrDefault(s, 0L)));
          now.add(new PlatformCounts.Group(ep[0], ep[1], n[0], n[1], byState));
        });

    List<PlatformCounts.Interval> overTime = new ArrayList<>();
    String perInterval =
        "SELECT max(online_ms) AS online FROM device_presence WHERE time > now() - "
            + range.toSeconds()
            + "s GROUP BY time("
            + every.toSeconds()
            + "s), device, enterprise, protocol, gateway";
    JsonNode series =
        query(
            "SELECT count(online) FROM ("
                + perInterval
                + ") WHERE online > 0 GROUP BY time("
                + every.toSeconds()
                + "s), enterprise");
    for (JsonNode s : series) {
      for (JsonNode row : s.get("values")) {
        overTime.add(
            new PlatformCounts.Interval(
                Instant.ofEpochMilli(row.get(0).asLong()),
                s.at("/tags/enterprise").asText(),
                row.get(1).asLong()));
      }
    }
    overTime.sort(
        java.util.Comparator.comparing(PlatformCounts.Interval::start)
            .thenComparing(PlatformCounts.Interval::enterprise));
    return new PlatformCounts(clock.instant(), now, overTime);
  }

  private void eachGroup(String influxQl, BiConsumer<String, Long> sink)
      throws IOException, InterruptedException {
    for (JsonNode s : query(influxQl)) {
      String key = s.at("/tags/enterprise").asText() + "\u0000" + s.at("/tags/protocol").asText();
      sink.accept(key, s.at("/values/0/1").asLong());
    }
  }

  private JsonNode query(String influxQl) throws IOException, InterruptedException {
    JsonNode result = json.readTree(influx.query(influxQl)).at("/results/0");
    if (result.has("error")) {
      throw new IOException("InfluxDB refused a platform query: " + result.get("error").asText());
    }
    JsonNode series = result.get("series");
    return series == null ? json.createArrayNode() : series;
  }
}
