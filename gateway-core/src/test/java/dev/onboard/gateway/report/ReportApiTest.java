package dev.onboard.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.gateway.api.ApiResponse;
import dev.onboard.gateway.api.ApiRouter;
import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.config.HttpConfig;
import dev.onboard.gateway.config.Role;
import dev.onboard.gateway.ledger.Ledger;
import dev.onboard.gateway.liveness.LivenessTracker;
import dev.onboard.gateway.metrics.GatewayMetrics;
import dev.onboard.gateway.outbox.OutboxConfig;
import dev.onboard.gateway.pipeline.CentralStore;
import dev.onboard.gateway.pipeline.PointEncoder;
import dev.onboard.gateway.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/v1/reports/{enterprise}?year=Y is for auditors, and what it returns verifies. */
class ReportApiTest {

  @TempDir Path dir;
  private ReportFixture fixture;
  private Ledger ledger;
  private GatewayMetrics metrics;
  private ApiRouter router;

  @BeforeEach
  void start() throws Exception {
    fixture = new ReportFixture(dir).write();
    ledger = fixture.openLedger();
    GatewayConfig config =
        new GatewayConfig(
            dir.resolve("onboard.yaml"),
            "gw-1",
            dir,
            List.of(),
            List.of(),
            List.of(),
            Optional.empty(),
            OutboxConfig.defaults(dir.resolve("outbox")),
            Optional.empty(),
            Duration.ofMinutes(5),
            ReportFixture.POLICY);
    LivenessTracker liveness = new LivenessTracker(fixture.clock, List.of(), c -> {});
    metrics = new GatewayMetrics("gw-1", liveness);
    router =
        new ApiRouter(
            List.of(
                new HttpConfig.Token(Role.OPERATOR, new Secret("env:O", "op-token")),
                new HttpConfig.Token(Role.AUDITOR, new Secret("env:A", "audit-token"))),
            config,
            liveness,
            List::of,
            new CentralStore(
                config.outbox(),
                Optional.empty(),
                new PointEncoder("gw-1", List.of()),
                fixture.clock),
            metrics,
            new ReportService(config, () -> Optional.of(ledger), fixture.clock));
  }

  @AfterEach
  void stop() throws Exception {
    metrics.close();
    ledger.close();
  }

  private ApiResponse get(String path, Map<String, String> query, String token) {
    return router.handle("GET", path, query, "Bearer " + token);
  }

  @Test
  void an_auditor_gets_the_signed_report_and_it_verifies() {
    ApiResponse r = get("/api/v1/reports/E001", Map.of("year", "2026"), "audit-token");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.headers())
        .containsExactly("Content-Disposition", "inline; filename=\"report-E001-2026.json\"");
    assertThat(ReportVerifier.verify(r.body(), fixture.key.publicKey(), null).exitCode()).isZero();

    ApiResponse html =
        get("/api/v1/reports/E001", Map.of("year", "2026", "format", "html"), "audit-token");
    assertThat(html.contentType()).startsWith("text/html");
    assertThat(new String(html.body(), StandardCharsets.UTF_8)).contains("Verified device report");
    ApiResponse csv =
        get("/api/v1/reports/E001", Map.of("year", "2026", "format", "csv"), "audit-token");
    assertThat(csv.contentType()).startsWith("text/csv");
  }

  @Test
  void an_operator_may_not_and_a_bad_request_says_what_to_send() {
    assertThat(get("/api/v1/reports/E001", Map.of("year", "2026"), "op-token").status())
        .isEqualTo(403);
    assertThat(get("/api/v1/devices", Map.of(), "audit-token").status()).isEqualTo(200);
    assertThat(get("/api/v1/reports/E001", Map.of(), "audit-token").bodyText())
        .contains("add ?year=2026");
    ApiResponse unknown = get("/api/v1/reports/E999", Map.of("year", "2026"), "audit-token");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.bodyText()).contains("enterprise 'E999' has no evidence in the ledger");
    assertThat(
            get("/api/v1/reports/E001", Map.of("year", "2026", "format", "pdf"), "audit-token")
                .status())
        .isEqualTo(400);
  }

  @Test
  void an_auditor_gets_a_later_checkpoint_that_extends_the_reports() {
    ApiResponse r = get("/api/v1/ledger/checkpoint", Map.of("since", "100"), "audit-token");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText())
        .startsWith("{\"checkpoint\":{")
        .contains("\"consistency\":{\"fromSize\":100,\"proof\":[");
    assertThat(get("/api/v1/ledger/checkpoint", Map.of("since", "999"), "audit-token").status())
        .isEqualTo(409);
  }
}
