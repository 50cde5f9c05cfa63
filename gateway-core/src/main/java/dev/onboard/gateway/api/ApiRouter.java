package dev.onboard.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.config.HttpConfig;
import dev.onboard.gateway.config.Role;
import dev.onboard.gateway.liveness.DeviceView;
import dev.onboard.gateway.liveness.LivenessTracker;
import dev.onboard.gateway.metrics.GatewayMetrics;
import dev.onboard.gateway.pipeline.CentralStore;
import dev.onboard.gateway.platform.PlatformView;
import dev.onboard.gateway.report.ReportException;
import dev.onboard.gateway.report.ReportService;
import dev.onboard.gateway.report.SignedReport;
import dev.onboard.gateway.spi.Settings;
import dev.onboard.gateway.spi.SourceStatus;
import dev.onboard.gateway.uplink.InfluxHttp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers API requests: checks the bearer token's role, then renders JSON. No network code here, so
 * routing and authorisation are tested without a socket.
 *
 * <p>Routes: {@code GET /} (the dashboard page, no token: it holds no data), {@code GET
 * /api/v1/devices}, {@code GET /api/v1/devices/{id}}, {@code GET /api/v1/counts}, {@code GET
 * /api/v1/sources} (operator and above) and {@code GET /metrics} (operator and above, Prometheus
 * text); {@code GET /api/v1/reports/{enterprise}?year=Y[&format=json|csv|html]} and {@code GET
 * /api/v1/ledger/checkpoint?since=N} (auditor and above). Anything else is 404; other methods are
 * 405.
 *
 * <p>Thread-safety: stateless apart from its collaborators, which are thread-safe.
 */
public final class ApiRouter {

  static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
  private static final byte[] DASHBOARD = resource("dashboard.html");

  private final List<HttpConfig.Token> tokens;
  private final GatewayConfig config;
  private final LivenessTracker liveness;
  private final Supplier<List<SourceStatus>> sources;
  private final CentralStore central;
  private final GatewayMetrics metrics;
  private final ReportService reports;
  private final ObjectMapper json =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  public ApiRouter(
      List<HttpConfig.Token> tokens,
      GatewayConfig config,
      LivenessTracker liveness,
      Supplier<List<SourceStatus>> sources,
      CentralStore central,
      GatewayMetrics metrics) {
    this(tokens, config, liveness, sources, central, metrics, null);
  }

  /**
   * @param reports builds reports for auditors; null: the report routes answer 404
   */
  public ApiRouter(
      List<HttpConfig.Token> tokens,
      GatewayConfig config,
      LivenessTracker liveness,
      Supplier<List<SourceStatus>> sources,
      CentralStore central,
      GatewayMetrics metrics,
      ReportService reports) {
    this.tokens = List.copyOf(tokens);
    this.config = config;
    this.liveness = liveness;
    this.sources = sources;
    this.central = central;
    this.metrics = metrics;
    this.reports = reports;
  }

  /**
   * @param method the HTTP method
   * @param path the path without query string
   * @param authorization the {@code Authorization} header, or null
   */
  public ApiResponse handle(String method, String path, String authorization) {
    return handle(method, path, Map.of(), authorization);
  }

  /**
   * @param method the HTTP method
   * @param path the path without query string
   * @param query the query string's parameters (first value of each)
   * @param authorization the {@code Authorization} header, or null
   */
  public ApiResponse handle(
      String method, String path, Map<String, String> query, String authorization) {
    if (path.equals("/") && method.equals("GET")) {
      // The page itself holds no data; every call it makes needs a token.
      return new ApiResponse(200, "text/html; charset=utf-8", DASHBOARD);
    }
    if (!path.equals("/metrics") && !path.startsWith("/api/v1/")) {
      return error(404, "no such resource: " + path, "see the API section of the README");
    }
    if (!method.equals("GET")) {
      return error(405, method + " is not supported on " + path, "use GET");
    }
    Optional<Role> role = authenticate(authorization);
    if (role.isEmpty()) {
      return error(
          401,
          authorization == null ? "a bearer token is required" : "the token is not accepted",
          "send 'Authorization: Bearer <token>' with a token from the http.tokens configuration",
          "WWW-Authenticate",
          "Bearer realm=\"onboard\"");
    }
    if (!role.get().covers(Role.OPERATOR)) {
      return error(
          403, "this token may not read " + path, "use an operator, auditor or admin token");
    }
    if (path.equals("/metrics")) {
      return ApiResponse.text(200, PROMETHEUS, metrics.scrape());
    }
    String rest = path.substring("/api/v1/".length());
    if (rest.startsWith("reports/") || rest.equals("ledger/checkpoint")) {
      if (!role.get().covers(Role.AUDITOR)) {
        return error(
            403, "this token may not read reports or the ledger", "use an auditor or admin token");
      }
      return rest.startsWith("reports/")
          ? report(rest.substring("reports/".length()), query)
          : laterCheckpoint(query);
    }
    if (rest.equals("devices")) {
      return ok(Map.of("devices", liveness.devices()));
    }
    if (rest.startsWith("devices/")) {
      String id = rest.substring("devices/".length());
      Optional<DeviceView> device = liveness.device(id);
      return device.isPresent()
          ? ok(device.get())
          : error(
              404, "no device '" + id + "' in the inventory", "list devices at /api/v1/devices");
    }
    if (rest.equals("counts")) {
      return ok(Counts.of(liveness.devices()));
    }
    if (rest.equals("sources")) {
      return ok(Map.of("sources", sources.get()));
    }
    if (rest.equals("platform/counts")) {
      return platformCounts(query);
    }
    if (rest.equals("uplink")) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("uplink", central.uplinkStatus());
      body.put("outbox", central.outboxStats().orElse(null));
      body.put("outboxWriteFailures", central.writeFailures());
      return ok(body);
    }
    return error(404, "no such resource: " + path, "see the API section of the README");
  }

  private ApiResponse report(String enterprise, Map<String, String> query) {
    if (reports == null) {
      return error(404, "reports are not available here", "see the README's Evidence ledger");
    }
    if (enterprise.isEmpty() || enterprise.contains("/")) {
      return error(404, "no such resource: reports/" + enterprise, "use /api/v1/reports/{id}");
    }
    int year;
    try {
      year = Integer.parseInt(query.getOrDefault("year", ""));
    } catch (NumberFormatException e) {
      return error(400, "the year is missing or not a number", "add ?year=2026");
    }
    String format = query.getOrDefault("format", "json");
    if (!List.of("json", "csv", "html").contains(format)) {
      return error(400, "format '" + format + "' is not json, csv or html", "e.g. &format=html");
    }
    SignedReport r;
    try {
      r = reports.report(enterprise, year);
    } catch (ReportException e) {
      int status = e.getMessage().startsWith("enterprise '") ? 404 : 409;
      return error(status, e.getMessage(), "see the README's Evidence ledger");
    } catch (java.io.IOException e) {
      return error(500, "cannot read the ledger: " + e.getMessage(), "see the gateway log");
    }
    String file = r.baseName() + "." + format;
    String disposition = "inline; filename=\"" + file + "\"";
    return switch (format) {
      case "csv" ->
          new ApiResponse(
              200, "text/csv; charset=utf-8", r.csv(), "Content-Disposition", disposition);
      case "html" ->
          new ApiResponse(
              200, "text/html; charset=utf-8", r.html(), "Content-Disposition", disposition);
      default ->
          new ApiResponse(200, ApiResponse.JSON, r.json(), "Content-Disposition", disposition);
    };
  }

  private ApiResponse laterCheckpoint(Map<String, String> query) {
    if (reports == null) {
      return error(404, "the ledger is not available here", "see the README's Evidence ledger");
    }
    long since;
    try {
      since = Long.parseLong(query.getOrDefault("since", ""));
    } catch (NumberFormatException e) {
      return error(
          400,
          "since is missing or not a number",
          "add ?since=N, N the report's checkpoint treeSize");
    }
    try {
      return new ApiResponse(200, ApiResponse.JSON, reports.laterCheckpoint(since));
    } catch (ReportException e) {
      return error(409, e.getMessage(), "give the treeSize of the report's checkpoint");
    }
  }

  private ApiResponse platformCounts(Map<String, String> query) {
    if (config.uplink().isEmpty()) {
      return error(
          404, "no central store is configured", "add an uplink: section to the configuration");
    }
    Duration range = Settings.parseDuration(query.getOrDefault("range", "24h"));
    Duration every = Settings.parseDuration(query.getOrDefault("every", "1h"));
    if (range == null
        || every == null
        || every.isZero()
        || every.isNegative()
        || range.compareTo(every) < 0) {
      return error(
          400, "range and every must be durations with every <= range", "e.g. ?range=24h&every=1h");
    }
    try {
      return ok(
          new PlatformView(new InfluxHttp(config.uplink().get()), java.time.Clock.systemUTC())
              .counts(range, every));
    } catch (java.io.IOException e) {
      return error(
          502, "the central store did not answer: " + e.getMessage(), "check /api/v1/uplink");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(503, "interrupted", "retry");
    }
  }

  private static byte[] resource(String name) {
    try (var in = ApiRouter.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Optional<Role> authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String presented = authorization.substring(7).trim();
    Role best = null;
    for (HttpConfig.Token t : tokens) {
      // Compare with every token, constant-time each, so timing says nothing about which matched.
      if (t.secret().matches(presented) && (best == null || t.role().covers(best))) {
        best = t.role();
      }
    }
    return Optional.ofNullable(best);
  }

  private ApiResponse ok(Object body) {
    try {
      return new ApiResponse(200, ApiResponse.JSON, json.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + body.getClass().getSimpleName(), e);
    }
  }

  private ApiResponse error(int status, String problem, String fix, String... headers) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", problem);
    body.put("fix", fix);
    body.put("gateway", config.gatewayId());
    try {
      return new ApiResponse(status, ApiResponse.JSON, json.writeValueAsBytes(body), headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
