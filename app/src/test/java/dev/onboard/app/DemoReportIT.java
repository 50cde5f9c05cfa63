package dev.onboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.gateway.ledger.GatewayKey;
import dev.onboard.gateway.report.ReportService;
import dev.onboard.gateway.report.ReportVerifier;
import dev.onboard.gateway.report.SignedReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README promises of the demo: within its first minutes, verified devices, enterprise
 * E001's signed report with the demo policy's results, and {@code verify} printing OK on it.
 */
class DemoReportIT {

  @TempDir Path dir;

  @Test
  void the_demo_shows_verified_devices_in_a_signed_report_that_verifies() throws Exception {
    try (Demo demo = Demo.start(dir, 0, true)) {
      int year = LocalDate.now(ZoneId.of("Asia/Shanghai")).getYear();
      SignedReport report = DemoCommand.awaitReport(demo, year, Duration.ofMinutes(7));
      assertThat(report).as("a report within 7 minutes").isNotNull();
      ReportCommand.print(System.out, report);
      Map<String, String> status = new TreeMap<>();
      Map<String, String> award = new TreeMap<>();
      report
          .rows()
          .forEach(
              r -> {
                status.put((String) r.get("device"), (String) r.get("status"));
                award.put((String) r.get("device"), (String) r.get("awardYuan"));
              });
      assertThat(status)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "cnc-01", "AWARDED",
                  "cnc-02", "AWARDED",
                  "imm-01", "NO_COST",
                  "ac-01", "AWARDED",
                  "em-01", "AWARDED"));
      assertThat(award)
          .containsEntry("cnc-01", "1800.00")
          .containsEntry("cnc-02", "2000.00")
          .containsEntry("imm-01", "0.00");
      assertThat(report.totals()).containsEntry("awardedYuan", "6250.00");

      Path json = report.write(dir.resolve("reports"));
      ReportVerifier.Verdict verdict =
          ReportVerifier.verify(
              Files.readAllBytes(json),
              GatewayKey.readPublicKey(ReportService.publicKey(demo.gateway().config())),
              null);
      verdict.lines().forEach(System.out::println);
      assertThat(verdict.lines()).last().isEqualTo("OK");
    }
  }
}
