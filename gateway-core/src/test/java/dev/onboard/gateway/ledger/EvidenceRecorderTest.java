package dev.onboard.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onboard.gateway.config.LivenessTimeouts;
import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.liveness.PresenceRecord;
import dev.onboard.gateway.liveness.StateChange;
import dev.onboard.gateway.liveness.TrackedDevice;
import dev.onboard.gateway.testkit.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceRecorderTest {

  @TempDir Path dir;
  private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void a_period_of_presence_becomes_one_signed_summary_per_device() throws Exception {
    List<TrackedDevice> inventory =
        List.of(
            new TrackedDevice(
                "cnc-01",
                "E001",
                "ua",
                "opcua",
                LivenessTimeouts.DEFAULT,
                Map.of("serialNumber", "SN-1")),
            new TrackedDevice(
                "press-01", "E002", "mq", "mqtt", LivenessTimeouts.DEFAULT, Map.of()));
    List<Checkpoint> signed = new ArrayList<>();
    try (Ledger ledger =
            Ledger.open(
                dir.resolve("ledger"),
                "gw-1",
                GatewayKey.loadOrCreate(dir.resolve("keys")),
                clock);
        EvidenceRecorder recorder =
            new EvidenceRecorder(
                ledger, inventory, Duration.ofMinutes(5), () -> true, signed::add)) {
      recorder.inventory();
      recorder.state(
          new StateChange(
              "cnc-01", DeviceState.UNKNOWN, DeviceState.ONLINE, clock.instant(), "Good data"));
      recorder.identity("cnc-01", clock.instant(), Map.of("serialNumber", "SN-1"));
      recorder.identity("cnc-01", clock.instant(), Map.of("serialNumber", "SN-1"));
      Instant start = Instant.parse("2026-03-01T00:00:00Z");
      for (int m = 0; m < 5; m++) {
        Instant minute = start.plus(Duration.ofMinutes(m));
        recorder.presence(
            List.of(
                new PresenceRecord("cnc-01", minute, 60_000, 45_000, 120, 100, 30 + m),
                new PresenceRecord("press-01", minute, 60_000, 0, 0, 0, 0)));
      }
      recorder.flush();

      assertThat(signed).hasSize(1);
      assertThat(signed.get(0).treeSize())
          .as("2 inventory, 1 state, 1 identity (the repeat is not), 2 summaries")
          .isEqualTo(6);
      assertThat(signed.get(0).verify(ledger.key().publicKey())).isTrue();
      JsonNode summary = json.readTree(ledger.record(4));
      assertThat(summary.get("type").asText()).isEqualTo("summary");
      assertThat(summary.get("device").asText()).isEqualTo("cnc-01");
      assertThat(summary.get("enterprise").asText()).isEqualTo("E001");
      assertThat(summary.get("periodStart").asText()).isEqualTo("2026-03-01T00:00:00Z");
      assertThat(summary.get("periodEnd").asText()).isEqualTo("2026-03-01T00:05:00Z");
      assertThat(summary.get("observedMs").asLong()).isEqualTo(300_000);
      assertThat(summary.get("onlineMs").asLong()).isEqualTo(225_000);
      assertThat(summary.get("goodSamples").asLong()).isEqualTo(600);
      assertThat(summary.get("valueChanges").asLong()).isEqualTo(500);
      assertThat(summary.get("maxClockSkewMs").asLong()).isEqualTo(34);
      assertThat(summary.get("arrivedCentral").asBoolean()).isTrue();
    }
  }

  @Test
  void each_record_links_to_the_previous_one_of_its_device_and_type_across_a_restart()
      throws Exception {
    List<TrackedDevice> inventory =
        List.of(
            new TrackedDevice(
                "cnc-01",
                "E001",
                "ua",
                "opcua",
                LivenessTimeouts.DEFAULT,
                Map.of("serialNumber", "S")));
    List<dev.onboard.gateway.config.Enterprise> enterprises =
        List.of(
            new dev.onboard.gateway.config.Enterprise(
                "E001", "精工", "huangpu", Map.of("independent_legal_entity", "true")));
    for (int run = 0; run < 2; run++) {
      try (Ledger ledger =
              Ledger.open(
                  dir.resolve("ledger"),
                  "gw-1",
                  GatewayKey.loadOrCreate(dir.resolve("keys")),
                  clock);
          EvidenceRecorder recorder =
              new EvidenceRecorder(ledger, inventory, Duration.ofMinutes(1), () -> true, c -> {})) {
        recorder.inventory(enterprises, Map.of("cnc-01", "1800.00"));
        recorder.flag("cnc-01", clock.instant(), "CLOCK_SKEW", "3 s");
        recorder.flush();
      }
    }
    try (Ledger ledger = Ledger.openReadOnly(dir.resolve("ledger"))) {
      assertThat(ledger.size()).isEqualTo(6);
      List<JsonNode> r = new ArrayList<>();
      for (long i = 0; i < 6; i++) {
        r.add(json.readTree(ledger.record(i)));
      }
      assertThat(r.get(0).get("type").asText()).isEqualTo("enterprise");
      assertThat(r.get(0).get("attributes").get("independent_legal_entity").asText())
          .isEqualTo("true");
      assertThat(r.get(1).get("type").asText()).isEqualTo("inventory");
      assertThat(r.get(1).get("onboardingCostYuan").asText()).isEqualTo("1800.00");
      assertThat(r.get(1).get("at").asText()).isEqualTo("2026-03-01T00:00:00Z");
      assertThat(r.stream().map(n -> n.get("prev").asLong()).toList())
          .as("enterprise, inventory, flag; then each links to its first-run twin")
          .containsExactly(-1L, -1L, -1L, 0L, 1L, 2L);
    }
  }
}
