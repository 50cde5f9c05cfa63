package dev.onboard.gateway.report;

import dev.onboard.gateway.config.Enterprise;
import dev.onboard.gateway.config.LivenessTimeouts;
import dev.onboard.gateway.ledger.EvidenceRecorder;
import dev.onboard.gateway.ledger.GatewayKey;
import dev.onboard.gateway.ledger.Ledger;
import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.liveness.PresenceRecord;
import dev.onboard.gateway.liveness.StateChange;
import dev.onboard.gateway.liveness.TrackedDevice;
import dev.onboard.gateway.testkit.MovableClock;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.money.Rate;
import dev.onboard.meter.policy.BuiltinPolicies;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.policy.VerificationParams;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ledger written the way the gateway writes it (through {@link EvidenceRecorder}, two gateway
 * runs on two days), with a device for every status the P1 rules give, and the policy to meter it:
 * P1 with a 15-minute window and an enterprise cap of 3000.00 so the cap binds.
 *
 * <p>Day 1 (2026-03-01): enterprise E002's press-01 is claimed and reports serial SN-P1. Day 2
 * (2026-03-02 00:00–00:30 UTC, summaries every 5 minutes), enterprise E001's devices:
 *
 * <pre>
 * cnc-01  cost 1800.00, live                       AWARDED 1800.00
 * cnc-02  cost 2600.00, live                       PARTIAL 1200.00 (per device 2000, cap 3000)
 * cnc-03  cost 1500.00, values frozen              NOT_VERIFIED (VALUE_CHANGES)
 * cnc-04  no cost, live                            NO_COST
 * cnc-05  cost 1000.00, reports cnc-01's serial    DUPLICATE_IDENTITY
 * cnc-06  cost 1000.00, online half the time       NOT_VERIFIED (ONLINE_RATIO)
 * cnc-07  cost 1000.00, never Good data            NOT_VERIFIED (GOOD_DATA)
 * cnc-08  cost 1000.00, reports press-01's serial  DUPLICATE_IDENTITY (press-01 claimed first)
 * cnc-09  cost  500.00, live                       CAPPED
 * cnc-10  cost 1000.00, Good data from 00:20       PENDING (window ends 00:35)
 * cnc-11  cost 1000.00, clock 9 s off              NOT_VERIFIED (CLOCK_SKEW)
 * </pre>
 */
final class ReportFixture {

  static final Instant DAY1 = Instant.parse("2026-03-01T00:00:00Z");
  static final Instant DAY2 = Instant.parse("2026-03-02T00:00:00Z");

  static final Policy POLICY =
      new Policy(
          "test-device-policy",
          "P1 with a 15-minute window and a 3000.00 cap",
          BuiltinPolicies.HUANGPU_DEVICE_2019.source(),
          Policy.Kind.PER_DEVICE,
          Money.ofYuan(2000),
          null,
          java.util.Set.of(),
          Money.ofYuan(3000),
          null,
          null,
          BuiltinPolicies.HUANGPU_DEVICE_2019.eligibility(),
          BuiltinPolicies.HUANGPU_DEVICE_2019.overflow(),
          BuiltinPolicies.HUANGPU_DEVICE_2019.duplicate(),
          new VerificationParams(
              Duration.ofMinutes(15), Rate.percent(60), 5000, 1, true, ZoneId.of("Asia/Shanghai")),
          null);

  static final List<Enterprise> ENTERPRISES =
      List.of(
          new Enterprise(
              "E001",
              "广州黄埔精工机械有限公司",
              "huangpu",
              Map.of("independent_legal_entity", "true", "commitment_broken", "false")),
          new Enterprise(
              "E002", "广州黄埔智能注塑科技有限公司", "huangpu", Map.of("independent_legal_entity", "true")));

  final Path dir;
  final MovableClock clock = new MovableClock(DAY1);
  final GatewayKey key;

  ReportFixture(Path dir) throws IOException {
    this.dir = dir;
    this.key = GatewayKey.loadOrCreate(dir.resolve("keys"));
  }

  Ledger openLedger() throws IOException {
    return Ledger.open(dir.resolve("ledger"), "gw-1", key, clock);
  }

  /** Writes both days. */
  ReportFixture write() throws Exception {
    day1();
    day2();
    return this;
  }

  private static TrackedDevice device(String id, String enterprise, Map<String, String> claimed) {
    return new TrackedDevice(id, enterprise, "src", "opcua", LivenessTimeouts.DEFAULT, claimed);
  }

  private void day1() throws Exception {
    clock.set(DAY1);
    List<TrackedDevice> inventory =
        List.of(device("press-01", "E002", Map.of("serialNumber", "SN-P1")));
    try (Ledger ledger = openLedger();
        EvidenceRecorder r =
            new EvidenceRecorder(ledger, inventory, Duration.ofMinutes(5), () -> true, c -> {})) {
      r.inventory(ENTERPRISES, Map.of("press-01", "1200.00"));
      r.identity("press-01", DAY1, Map.of("manufacturer", "Yizumi", "serialNumber", "SN-P1"));
      r.state(new StateChange("press-01", DeviceState.UNKNOWN, DeviceState.ONLINE, DAY1, "birth"));
      for (int m = 0; m < 5; m++) {
        r.presence(
            List.of(
                new PresenceRecord(
                    "press-01", DAY1.plus(Duration.ofMinutes(m)), 60_000, 60_000, 60, 30, 10)));
      }
      r.flush();
    }
  }

  private void day2() throws Exception {
    clock.set(DAY2);
    List<TrackedDevice> inventory = new ArrayList<>();
    Map<String, String> costs = new LinkedHashMap<>();
    for (int i = 1; i <= 11; i++) {
      String id = String.format("cnc-%02d", i);
      inventory.add(device(id, "E001", Map.of("serialNumber", "SN-" + i)));
      costs.put(id, "1000.00");
    }
    inventory.add(device("press-01", "E002", Map.of("serialNumber", "SN-P1")));
    costs.put("cnc-01", "1800.00");
    costs.put("cnc-02", "2600.00");
    costs.put("cnc-03", "1500.00");
    costs.remove("cnc-04");
    costs.put("cnc-09", "500.00");
    costs.put("press-01", "1200.00");
    try (Ledger ledger = openLedger();
        EvidenceRecorder r =
            new EvidenceRecorder(ledger, inventory, Duration.ofMinutes(5), () -> true, c -> {})) {
      r.inventory(ENTERPRISES, costs);
      for (int i = 1; i <= 11; i++) {
        String id = String.format("cnc-%02d", i);
        String serial = i == 5 ? "SN-1" : "SN-" + i;
        String maker = i == 8 ? "Yizumi" : "GSK";
        if (i == 8) {
          serial = "SN-P1";
        }
        r.identity(id, DAY2, Map.of("manufacturer", maker, "serialNumber", serial));
        if (i != 7) {
          r.state(new StateChange(id, DeviceState.UNKNOWN, DeviceState.ONLINE, DAY2, "Good data"));
        }
      }
      r.flag("cnc-11", DAY2, "CLOCK_SKEW", "source time 9.0 s ahead");
      for (int m = 0; m < 30; m++) {
        Instant minute = DAY2.plus(Duration.ofMinutes(m));
        List<PresenceRecord> p = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
          String id = String.format("cnc-%02d", i);
          long online = 60_000;
          long good = 120;
          long changes = 60;
          long skew = 40;
          switch (i) {
            case 3 -> changes = 0;
            case 6 -> online = m % 2 == 0 ? 60_000 : 0;
            case 7 -> {
              online = 0;
              good = 0;
              changes = 0;
            }
            case 10 -> {
              if (m < 20) {
                online = 0;
                good = 0;
                changes = 0;
              }
            }
            case 11 -> skew = 9_000;
            default -> {}
          }
          p.add(new PresenceRecord(id, minute, 60_000, online, good, changes, skew));
        }
        p.add(new PresenceRecord("press-01", minute, 60_000, 60_000, 60, 30, 10));
        clock.set(minute.plus(Duration.ofMinutes(1)));
        r.presence(p);
      }
      r.flush();
    }
  }

  /** The report of E001 for 2026, from the ledger opened read-only. */
  SignedReport report() throws Exception {
    try (Ledger ledger = Ledger.openReadOnly(dir.resolve("ledger"))) {
      return ReportBuilder.build(
          ledger, key, POLICY, "E001", 2026, Instant.parse("2026-03-02T01:00:00Z"), "test");
    }
  }
}
