package dev.onboard.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.gateway.ledger.CanonicalJson;
import dev.onboard.gateway.ledger.Ledger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report built from the ledger says for each device what POLICIES.md says, and verifies. */
class ReportTest {

  @TempDir Path dir;
  private ReportFixture fixture;
  private SignedReport report;

  @BeforeEach
  void write() throws Exception {
    fixture = new ReportFixture(dir).write();
    report = fixture.report();
  }

  private Map<String, Map<String, Object>> rows() {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    report.rows().forEach(r -> out.put((String) r.get("device"), r));
    return out;
  }

  private static List<String> failedRules(Map<String, Object> row) {
    return ((List<?>) row.get("rules"))
        .stream()
            .map(o -> (Map<?, ?>) o)
            .filter(o -> !Boolean.TRUE.equals(o.get("passed")))
            .map(o -> (String) o.get("rule"))
            .toList();
  }

  @Test
  void every_device_gets_the_status_and_award_the_p1_rules_give() {
    Map<String, Map<String, Object>> rows = rows();
    Map<String, String> status = new TreeMap<>();
    Map<String, String> award = new TreeMap<>();
    rows.forEach(
        (id, r) -> {
          status.put(id, (String) r.get("status"));
          award.put(id, (String) r.get("awardYuan"));
        });
    assertThat(status)
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("cnc-01", "AWARDED"),
                Map.entry("cnc-02", "PARTIAL"),
                Map.entry("cnc-03", "NOT_VERIFIED"),
                Map.entry("cnc-04", "NO_COST"),
                Map.entry("cnc-05", "DUPLICATE_IDENTITY"),
                Map.entry("cnc-06", "NOT_VERIFIED"),
                Map.entry("cnc-07", "NOT_VERIFIED"),
                Map.entry("cnc-08", "DUPLICATE_IDENTITY"),
                Map.entry("cnc-09", "CAPPED"),
                Map.entry("cnc-10", "PENDING"),
                Map.entry("cnc-11", "NOT_VERIFIED")));
    assertThat(award).containsEntry("cnc-01", "1800.00").containsEntry("cnc-02", "1200.00");
    assertThat(award.values().stream().filter(a -> !a.equals("0.00"))).hasSize(2);
    assertThat(failedRules(rows.get("cnc-03"))).containsExactly("VALUE_CHANGES");
    assertThat(failedRules(rows.get("cnc-06"))).containsExactly("ONLINE_RATIO");
    assertThat(rows.get("cnc-06").get("onlineRatio")).isEqualTo("0.5333");
    assertThat(failedRules(rows.get("cnc-07"))).containsExactly("GOOD_DATA");
    assertThat(failedRules(rows.get("cnc-10"))).containsExactly("WINDOW_COMPLETE");
    assertThat(failedRules(rows.get("cnc-11"))).containsExactly("CLOCK_SKEW");
    assertThat(rows.get("cnc-11").get("flags").toString()).contains("CLOCK_SKEW ×1");
    assertThat(rows.get("cnc-02").get("capsApplied").toString())
        .isEqualTo(
            "[per-device 2000.00 (cost 2600.00), enterprise annual cap 3000.00: 1200.00 left]");
    assertThat(rows.get("cnc-08").get("reasons").toString())
        .contains("already claimed by device press-01 on 2026-03-01");
    assertThat(rows.get("cnc-01"))
        .containsEntry("verifiedOn", "2026-03-02")
        .containsEntry("onlineRatio", "1.0000")
        .containsEntry("claimedOn", "2026-03-02")
        .containsEntry("firstSeen", "2026-03-02T00:00:00Z")
        .containsEntry("identityKey", "serialNumber=SN-1 manufacturer=GSK");
    assertThat(report.totals())
        .containsEntry("awardedYuan", "3000.00")
        .containsEntry("enterpriseYearCapYuan", "3000.00")
        .containsEntry("capRemainingYuan", "0.00")
        .containsEntry("devices", 11L);
  }

  @Test
  void the_report_verifies_offline_with_the_public_key() {
    ReportVerifier.Verdict v = ReportVerifier.verify(report.json(), fixture.key.publicKey(), null);
    assertThat(v.lines()).last().isEqualTo("OK");
    assertThat(v.exitCode()).isZero();
    assertThat(String.join("\n", v.lines()))
        .contains("report of enterprise E001 (广州黄埔精工机械有限公司) for 2026: 11 devices, 3000.00")
        .contains("later checkpoint  SKIPPED");
  }

  @Test
  void the_report_is_canonical_json_with_every_records_proof_and_carries_the_foreign_duplicate()
      throws Exception {
    Map<?, ?> doc = (Map<?, ?>) CanonicalJson.parseCanonical(report.json());
    Map<?, ?> r = (Map<?, ?>) doc.get("report");
    List<?> records = (List<?>) ((Map<?, ?>) r.get("evidence")).get("records");
    assertThat(records)
        .as("press-01's inventory and identity records come along; its summaries do not")
        .extracting(o -> (Map<?, ?>) ((Map<?, ?>) o).get("record"))
        .extracting(m -> m.get("device") + "/" + m.get("type"))
        .contains("press-01/identity", "press-01/inventory")
        .doesNotContain("press-01/summary", "press-01/state");
    assertThat(((Map<?, ?>) r.get("policy")).get("version").toString()).startsWith("sha256:");
    assertThat(r.get("evidenceUntil")).isEqualTo("2026-03-02T00:30:00Z");
  }

  @Test
  void csv_and_html_have_bilingual_headers_and_a_row_per_device() {
    String csv = new String(report.csv(), StandardCharsets.UTF_8);
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0)).startsWith("\uFEFF设备 / Device,").contains("补贴（元） / Award (yuan)");
    assertThat(lines).hasSize(1 + 11 + 1);
    assertThat(lines.get(1)).startsWith("cnc-01,opcua,").contains(",AWARDED 全额补贴,1800.00,");
    assertThat(lines.get(lines.size() - 1)).startsWith("合计 / Total,").contains(",3000.00,");
    String html = new String(report.html(), StandardCharsets.UTF_8);
    assertThat(html)
        .contains("设备上平台核验报告<span class=\"en\">Verified device report</span>")
        .contains("在线率<span class=\"en\">Online ratio</span>")
        .contains("@media print")
        .contains("cnc-11")
        .doesNotContain("<script");
  }

  @Test
  void files_are_written_whole_and_an_unknown_enterprise_or_an_empty_ledger_is_explained()
      throws Exception {
    Path json = report.write(dir.resolve("out"));
    assertThat(json.getFileName().toString()).isEqualTo("report-E001-2026.json");
    assertThat(Files.readAllBytes(json)).isEqualTo(report.json());
    assertThat(dir.resolve("out/report-E001-2026.csv")).exists();
    assertThat(dir.resolve("out/report-E001-2026.html")).exists();
    try (Ledger ledger = Ledger.openReadOnly(dir.resolve("ledger"))) {
      assertThatThrownBy(
              () ->
                  ReportBuilder.build(
                      ledger, fixture.key, ReportFixture.POLICY, "E999", 2026, Instant.EPOCH, "t"))
          .isInstanceOf(ReportException.class)
          .hasMessage("enterprise 'E999' has no evidence in the ledger; it holds [E001, E002]");
    }
    ReportFixture empty = new ReportFixture(dir.resolve("empty"));
    try (Ledger ledger = empty.openLedger()) {
      assertThatThrownBy(
              () ->
                  ReportBuilder.build(
                      ledger, empty.key, ReportFixture.POLICY, "E001", 2026, Instant.EPOCH, "t"))
          .hasMessageStartingWith("the ledger has no signed checkpoint yet");
    }
  }
}
