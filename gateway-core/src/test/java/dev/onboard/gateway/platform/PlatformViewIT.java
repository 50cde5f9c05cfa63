package dev.onboard.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.gateway.testkit.InfluxServer;
import dev.onboard.gateway.uplink.InfluxHttp;
import dev.onboard.gateway.uplink.UplinkConfig;
import dev.onboard.gateway.uplink.WriteResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformViewIT {

  @TempDir Path dir;

  @Test
  void counts_devices_across_gateways_by_enterprise_protocol_and_state_and_per_hour()
      throws Exception {
    try (InfluxServer influx = InfluxServer.start(dir)) {
      influx.createDatabase("platform");
      InfluxHttp http = new InfluxHttp(UplinkConfig.of(influx.url(), "platform"));
      long minute =
          Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1)).toEpochMilli();
      long twoHoursAgo = minute - Duration.ofHours(2).toMillis();
      String points =
          String.join(
              "\n",
              // Gateway g1, enterprise E1: two OPC UA devices, one online; one MQTT device online.
              presence("a", "E1", "g1", "opcua", 60_000, minute),
              presence("b", "E1", "g1", "opcua", 0, minute),
              presence("c", "E1", "g1", "mqtt", 12_000, minute),
              status("a", "E1", "g1", "opcua", "ONLINE", minute - 5_000),
              status("b", "E1", "g1", "opcua", "ONLINE", minute - 9_000),
              status("b", "E1", "g1", "opcua", "OFFLINE", minute - 4_000),
              status("c", "E1", "g1", "mqtt", "ONLINE", minute - 3_000),
              // Gateway g2, enterprise E2: one OPC UA device online now and two hours ago.
              presence("d", "E2", "g2", "opcua", 60_000, minute),
              presence("d", "E2", "g2", "opcua", 60_000, twoHoursAgo),
              status("d", "E2", "g2", "opcua", "ONLINE", minute - 1_000));
      assertThat(http.write(points).outcome()).isEqualTo(WriteResult.Outcome.STORED);

      PlatformCounts counts =
          new PlatformView(http, Clock.systemUTC())
              .counts(Duration.ofHours(6), Duration.ofHours(1));

      assertThat(counts.now())
          .containsExactly(
              new PlatformCounts.Group(
                  "E1",
                  "mqtt",
                  1,
                  1,
                  Map.of("ONLINE", 1L, "STALE", 0L, "OFFLINE", 0L, "UNKNOWN", 0L)),
              new PlatformCounts.Group(
                  "E1",
                  "opcua",
                  2,
                  1,
                  Map.of("ONLINE", 1L, "STALE", 0L, "OFFLINE", 1L, "UNKNOWN", 0L)),
              new PlatformCounts.Group(
                  "E2",
                  "opcua",
                  1,
                  1,
                  Map.of("ONLINE", 1L, "STALE", 0L, "OFFLINE", 0L, "UNKNOWN", 0L)));
      long e1Now =
          counts.overTime().stream()
              .filter(i -> i.enterprise().equals("E1"))
              .mapToLong(PlatformCounts.Interval::online)
              .max()
              .orElse(0);
      assertThat(e1Now).as("E1's busiest hour: a and c online").isEqualTo(2);
      assertThat(
              counts.overTime().stream()
                  .filter(i -> i.enterprise().equals("E2") && i.online() == 1)
                  .count())
          .as("E2 online in two different hours")
          .isEqualTo(2);
    }
  }

  @Test
  void every_query_of_the_shipped_grafana_dashboard_runs_on_influxdb_1_6() throws Exception {
    com.fasterxml.jackson.databind.JsonNode dashboard =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(Path.of("../docs/grafana/onboard-platform.json").toFile());
    try (InfluxServer influx = InfluxServer.start(dir)) {
      influx.createDatabase("platform");
      InfluxHttp http = new InfluxHttp(UplinkConfig.of(influx.url(), "platform"));
      long minute =
          Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1)).toEpochMilli();
      http.write(
          presence("a", "E1", "g1", "opcua", 60_000, minute)
              + "\n"
              + status("a", "E1", "g1", "opcua", "OFFLINE", minute)
              + "\ngateway_heartbeat,gateway=g1 outbox_depth=0i "
              + minute);
      int ran = 0;
      for (com.fasterxml.jackson.databind.JsonNode panel : dashboard.get("panels")) {
        String q =
            panel
                .at("/targets/0/query")
                .asText()
                .replace("$timeFilter", "time > now() - 24h")
                .replace("$__interval", "1h")
                .replace("$gateway", ".*");
        com.fasterxml.jackson.databind.JsonNode result =
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(http.query(q))
                .at("/results/0");
        assertThat(result.has("error")).as(panel.get("title").asText() + ": " + result).isFalse();
        assertThat(result.has("series")).as(panel.get("title").asText() + " returns rows").isTrue();
        ran++;
      }
      assertThat(ran).isEqualTo(dashboard.get("panels").size());
    }
  }

  private static String presence(
      String device, String enterprise, String gateway, String protocol, long onlineMs, long at) {
    return "device_presence,device="
        + device
        + ",enterprise="
        + enterprise
        + ",gateway="
        + gateway
        + ",protocol="
        + protocol
        + " observed_ms=60000i,online_ms="
        + onlineMs
        + "i "
        + at;
  }

  private static String status(
      String device, String enterprise, String gateway, String protocol, String state, long at) {
    return "device_status,device="
        + device
        + ",enterprise="
        + enterprise
        + ",gateway="
        + gateway
        + ",protocol="
        + protocol
        + " state=\""
        + state
        + "\" "
        + at;
  }
}
