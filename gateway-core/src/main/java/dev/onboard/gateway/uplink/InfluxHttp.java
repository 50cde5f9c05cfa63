package dev.onboard.gateway.uplink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * InfluxDB's v1 HTTP API as the uplink uses it: {@code POST /write} with line protocol ({@code
 * precision=ms}) and {@code GET /query} with InfluxQL. These endpoints exist on 1.x and, for
 * compatibility, on 2.x and 3.x.
 *
 * <p>Written on the JDK's HttpClient rather than influxdb-java because the outbox must act on the
 * HTTP status itself (README › Central store explains).
 *
 * <p>Thread-safety: safe to share; the JDK client is thread-safe.
 */
public final class InfluxHttp {

  private final UplinkConfig config;
  private final HttpClient http;

  public InfluxHttp(UplinkConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** Writes one body of line protocol. Never throws for a store that is away: that is a result. */
  public WriteResult write(String lineProtocol) throws InterruptedException {
    return write(lineProtocol.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes one body of line protocol, UTF-8. Never throws for a store that is away. */
  public WriteResult write(byte[] lineProtocol) throws InterruptedException {
    StringBuilder q = new StringBuilder("/write?precision=ms&db=").append(enc(config.database()));
    if (!config.retentionPolicy().isEmpty()) {
      q.append("&rp=").append(enc(config.retentionPolicy()));
    }
    byte[] body = lineProtocol;
    HttpRequest.Builder req =
        request(q.toString()).header("Content-Type", "text/plain; charset=utf-8");
    if (config.gzip()) {
      req.header("Content-Encoding", "gzip");
      body = gzip(body);
    }
    try {
      HttpResponse<String> r =
          http.send(
              req.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
              HttpResponse.BodyHandlers.ofString());
      return WriteResult.of(r.statusCode(), r.body());
    } catch (HttpTimeoutException e) {
      return new WriteResult(
          WriteResult.Outcome.AWAY,
          0,
          "no answer within " + config.requestTimeout().toSeconds() + " s");
    } catch (IOException e) {
      return new WriteResult(
          WriteResult.Outcome.AWAY, 0, "cannot reach " + config.url() + ": " + describe(e));
    }
  }

  /**
   * Runs an InfluxQL query and returns InfluxDB's JSON answer.
   *
   * @throws IOException when the store is away or answers with an error
   */
  public String query(String influxQl) throws IOException, InterruptedException {
    String path = "/query?epoch=ms&db=" + enc(config.database()) + "&q=" + enc(influxQl);
    HttpResponse<String> r;
    try {
      r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("cannot reach " + config.url() + ": " + describe(e), e);
    }
    if (r.statusCode() != 200) {
      throw new IOException(
          "InfluxDB answered " + r.statusCode() + " to a query: " + r.body().strip());
    }
    return r.body();
  }

  /** Whether the store answers {@code /ping}. */
  public boolean ping() throws InterruptedException {
    try {
      return http.send(request("/ping").GET().build(), HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 204;
    } catch (IOException e) {
      return false;
    }
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(config.url().toString().replaceAll("/+$", "") + pathAndQuery))
            .timeout(config.requestTimeout());
    if (config.token().isPresent()) {
      b.header("Authorization", "Token " + config.token().get().reveal());
    } else if (config.username().isPresent() && config.password().isPresent()) {
      String basic = config.username().get() + ":" + config.password().get().reveal();
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    return b;
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + m + ")");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * Compresses at the fastest level: line protocol repeats its measurement and tag keys on every
   * line, so even that shrinks it several times, for a fraction of the default level's CPU (on two
   * cores the gateway shares with its pipeline, CPU is the scarcer resource).
   */
  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream z = new FastGzip(out)) {
      z.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A gzip stream at {@link Deflater#BEST_SPEED}. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(ByteArrayOutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
