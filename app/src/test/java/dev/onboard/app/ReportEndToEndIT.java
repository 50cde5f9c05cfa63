package dev.onboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onboard.gateway.config.ConfigLoader;
import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.ledger.CanonicalJson;
import dev.onboard.gateway.report.ReportException;
import dev.onboard.gateway.report.ReportService;
import dev.onboard.gateway.report.SignedReport;
import dev.onboard.gateway.supervisor.Gateway;
import dev.onboard.gateway.testkit.InfluxServer;
import dev.onboard.simulator.FactorySpec;
import dev.onboard.simulator.SimulatedFactory;
import dev.onboard.simulator.mqtt.DeviceKind;
import dev.onboard.simulator.mqtt.MqttDeviceSpec;
import dev.onboard.simulator.opcua.OpcUaDeviceKind;
import dev.onboard.simulator.opcua.OpcUaDeviceSpec;
import dev.onboard.simulator.opcua.SimulatedOpcUaServer;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ServerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, as DESIGN.md › How we test asks: a simulated fleet with faults → the gateway → the
 * central store (Debian's InfluxDB) → {@code onboard report} → {@code onboard verify} prints OK,
 * with each device's status and award as POLICIES.md says. The policy is P1 observed for 3 minutes
 * with 1-minute summaries, so this runs in about five minutes.
 *
 * <pre>
 * cnc-01    OPC UA, live, cost 1800.00                   AWARDED 1800.00
 * cnc-02    OPC UA, values frozen                         NOT_VERIFIED: VALUE_CHANGES (VERIFICATION 4);
 *                                                         silent, it also goes offline
 * cnc-03    OPC UA, the same nameplate as cnc-01          DUPLICATE_IDENTITY (VERIFICATION 1)
 * cnc-04    OPC UA, offline half the time                 NOT_VERIFIED: ONLINE_RATIO (VERIFICATION 3)
 * m-01      OPC UA, its server in state TEST              NOT_VERIFIED: TEST never counts as online
 * meter-01  MQTT JSON, live, cost 800.00                  AWARDED 800.00
 * </pre>
 */
class ReportEndToEndIT {

  @TempDir Path dir;

  private static FactorySpec fleet() {
    Duration fast = Duration.ofMillis(500);
    OpcUaDeviceSpec cnc01 =
        new OpcUaDeviceSpec("CNC-01", OpcUaDeviceKind.CNC, "GSK", "GSK-1001", "980TDi", fast);
    List<OpcUaDeviceSpec> plant1 =
        List.of(
            cnc01,
            new OpcUaDeviceSpec("CNC-02", OpcUaDeviceKind.CNC, "GSK", "GSK-1002", "980TDi", fast),
            new OpcUaDeviceSpec("CNC-03", OpcUaDeviceKind.CNC, "GSK", "GSK-1001", "980TDi", fast),
            new OpcUaDeviceSpec("CNC-04", OpcUaDeviceKind.CNC, "GSK", "GSK-1004", "980TDi", fast));
    List<OpcUaDeviceSpec> plant2 =
        List.of(
            new OpcUaDeviceSpec(
                "M-01", OpcUaDeviceKind.ENERGY_METER, "Acrel", "ACR-1", "DTSD1352", fast));
    return new FactorySpec(
        List.of(
            SimulatedOpcUaServerConfig.of("plant-1", plant1).withPort(0),
            SimulatedOpcUaServerConfig.of("plant-2", plant2).withPort(0)),
        0,
        List.of(
            new MqttDeviceSpec(
                "E001", "meter-01", "SN-METER-1", Duration.ofSeconds(1), DeviceKind.METER)),
        6962L);
  }

  private Path writeConfig(SimulatedFactory factory, InfluxServer influx) throws Exception {
    Path file = dir.resolve("onboard.yaml");
    Files.writeString(
        file,
        """
        gateway: {id: e2e-gateway, dataDir: gateway-data}
        liveness: {staleAfter: 2s, offlineAfter: 6s}
        sources:
          - {id: plant-1, protocol: opcua, endpoint: "%s", security: {policy: none},
             subscription: {samplingInterval: 250ms, publishingInterval: 500ms},
             browse: {startNode: "ns=2;s=Devices"}}
          - {id: plant-2, protocol: opcua, endpoint: "%s", security: {policy: none},
             browse: {startNode: "ns=2;s=Devices"}}
          - id: plant-mqtt
            protocol: mqtt
            broker: %s
            version: "3.1.1"
            json: {topic: "factory/{enterprise}/{device}/telemetry",
                   statusTopic: "factory/{enterprise}/{device}/status",
                   timestamp: {field: ts, unit: ms}, values: values, serial: serial}
        inventory:
          enterprises:
            - {id: E001, name: 广州黄埔精工机械有限公司, independentLegalEntity: true, commitmentBroken: false}
          devices:
            - {id: cnc-01, enterprise: E001, source: plant-1, address: {browseName: CNC-01}, onboardingCostYuan: 1800.00}
            - {id: cnc-02, enterprise: E001, source: plant-1, address: {browseName: CNC-02}, onboardingCostYuan: 1500.00}
            - {id: cnc-03, enterprise: E001, source: plant-1, address: {browseName: CNC-03}, onboardingCostYuan: 1800.00}
            - {id: cnc-04, enterprise: E001, source: plant-1, address: {browseName: CNC-04}, onboardingCostYuan: 1200.00}
            - {id: m-01, enterprise: E001, source: plant-2, address: {browseName: M-01}, onboardingCostYuan: 1000.00}
            - {id: meter-01, enterprise: E001, source: plant-mqtt, address: {device: meter-01}, onboardingCostYuan: 800.00}
        uplink: {url: "%s", database: onboard}
        ledger: {summaryPeriod: 1m}
        policy:
          base: huangpu-device-2019
          name: huangpu-device-2019-e2e
          verification: {window: 3m}
        """
            .formatted(
                factory.opcua("plant-1").endpointUrl(),
                factory.opcua("plant-2").endpointUrl(),
                factory.broker().url(),
                influx.url()));
    return file;
  }

  @Test
  void a_faulty_fleet_gets_the_statuses_and_awards_p1_gives_and_its_report_verifies()
      throws Exception {
    ScheduledExecutorService flapper = Executors.newSingleThreadScheduledExecutor();
    try (InfluxServer influx = InfluxServer.start(dir.resolve("influx"));
        SimulatedFactory factory = new SimulatedFactory(fleet())) {
      influx.createDatabase("onboard");
      factory.start();
      factory.opcua("plant-2").setServerState(ServerState.Test);
      SimulatedOpcUaServer plant1 = factory.opcua("plant-1");
      plant1.freezeDevice("CNC-02", true);
      AtomicBoolean up = new AtomicBoolean(true);
      flapper.scheduleAtFixedRate(
          () -> {
            if (up.getAndSet(!up.get())) {
              plant1.stopDevice("CNC-04");
            } else {
              plant1.startDevice("CNC-04");
            }
          },
          30,
          30,
          TimeUnit.SECONDS);
      Path file = writeConfig(factory, influx);
      GatewayConfig config = new ConfigLoader(Map.<String, String>of()::get).load(file);
      int year = LocalDate.now(ZoneId.of("Asia/Shanghai")).getYear();
      try (Gateway gateway = Gateway.build(config, Clock.systemUTC())) {
        gateway.start().join();
        ReportService reports = new ReportService(config, gateway::ledger, Clock.systemUTC());
        await()
            .atMost(Duration.ofMinutes(7))
            .pollInterval(Duration.ofSeconds(5))
            .until(() -> complete(reports, year));

        Path out = dir.resolve("reports");
        Cli report =
            cli(
                "report",
                "--config",
                file.toString(),
                "--enterprise",
                "E001",
                "--year",
                Integer.toString(year),
                "--out",
                out.toString());
        System.out.println(report.out);
        assertThat(report.code).as(report.out).isZero();
        Path json = out.resolve("report-E001-" + year + ".json");
        Path key = ReportService.publicKey(config);
        assertThat(report.out).contains("Verify: ./onboard verify " + json + " --key " + key);

        Map<String, Map<String, Object>> rows = rows(json);
        assertThat(rows.keySet())
            .containsExactly("cnc-01", "cnc-02", "cnc-03", "cnc-04", "m-01", "meter-01");
        assertThat(rows.get("cnc-01")).containsEntry("status", "AWARDED");
        assertThat(rows.get("cnc-01")).containsEntry("awardYuan", "1800.00");
        assertThat(rows.get("meter-01")).containsEntry("status", "AWARDED");
        assertThat(rows.get("meter-01")).containsEntry("awardYuan", "800.00");
        assertThat(rows.get("cnc-02")).containsEntry("status", "NOT_VERIFIED");
        assertThat(failed(rows.get("cnc-02"))).contains("VALUE_CHANGES");
        assertThat(rows.get("cnc-02").get("rules").toString()).contains("0 value changes");
        assertThat(rows.get("cnc-03")).containsEntry("status", "DUPLICATE_IDENTITY");
        assertThat(rows.get("cnc-03").get("reasons").toString())
            .contains("already claimed by device cnc-01");
        assertThat(rows.get("cnc-04")).containsEntry("status", "NOT_VERIFIED");
        assertThat(failed(rows.get("cnc-04"))).containsExactly("ONLINE_RATIO");
        assertThat(rows.get("m-01")).containsEntry("status", "NOT_VERIFIED");
        assertThat(failed(rows.get("m-01"))).containsAnyOf("ONLINE_RATIO", "GOOD_DATA");
        assertThat(rows.get("m-01").get("onlineRatio")).isIn(null, "0.0000");
        for (String paid : List.of("cnc-01", "meter-01")) {
          assertThat(failed(rows.get(paid))).as(paid).isEmpty();
        }

        Cli verify = cli("verify", json.toString(), "--key", key.toString());
        System.out.println(verify.out);
        assertThat(verify.code).as(verify.out).isZero();
        assertThat(verify.out.lines().toList()).as(verify.out).contains("OK");
        assertThat(verify.out).contains("awards            OK     6 rows");

        // A later checkpoint shows the ledger only grew since the report.
        long size = checkpointSize(json);
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    gateway.ledger().orElseThrow().latestCheckpoint().orElseThrow().treeSize()
                        > size);
        Path later = dir.resolve("later.json");
        Cli checkpoint =
            cli(
                "checkpoint",
                "--config",
                file.toString(),
                "--since",
                json.toString(),
                "--out",
                later.toString());
        assertThat(checkpoint.code).as(checkpoint.out).isZero();
        Cli both =
            cli(
                "verify",
                json.toString(),
                "--key",
                key.toString(),
                "--later-checkpoint",
                later.toString());
        assertThat(both.code).as(both.out).isZero();
        assertThat(both.out).contains("later checkpoint  OK     the tree of " + size + " records");
      }
    } finally {
      flapper.shutdownNow();
    }
  }

  /** Every device with a window has a complete one, and the live ones are verified. */
  private static boolean complete(ReportService reports, int year) throws Exception {
    SignedReport r;
    try {
      r = reports.report("E001", year);
    } catch (ReportException e) {
      return false; // no checkpoint yet
    }
    Map<String, Map<String, Object>> rows = new TreeMap<>();
    r.rows().forEach(row -> rows.put((String) row.get("device"), row));
    return rows.size() == 6
        && rows.values().stream().noneMatch(row -> "PENDING".equals(row.get("status")))
        && "AWARDED".equals(rows.get("cnc-01").get("status"))
        && rows.get("cnc-04").get("windowStart") != null
        && rows.get("cnc-02").get("windowStart") != null;
  }

  private static List<String> failed(Map<?, ?> row) {
    return ((List<?>) row.get("rules"))
        .stream()
            .map(o -> (Map<?, ?>) o)
            .filter(o -> !Boolean.TRUE.equals(o.get("passed")))
            .map(o -> (String) o.get("rule"))
            .toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> rows(Path json) throws Exception {
    Map<?, ?> doc = (Map<?, ?>) CanonicalJson.parseCanonical(Files.readAllBytes(json));
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (Object o : (List<?>) ((Map<?, ?>) doc.get("report")).get("devices")) {
      Map<String, Object> row = (Map<String, Object>) o;
      out.put((String) row.get("device"), row);
    }
    return out;
  }

  private static long checkpointSize(Path json) throws Exception {
    Map<?, ?> doc = (Map<?, ?>) CanonicalJson.parse(Files.readAllBytes(json));
    return (Long) ((Map<?, ?>) ((Map<?, ?>) doc.get("report")).get("checkpoint")).get("treeSize");
  }

  private record Cli(int code, String out) {}

  /** Runs the onboard command line in-process and captures what it prints. */
  private static synchronized Cli cli(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      int code = Main.execute(args);
      return new Cli(code, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }
}
