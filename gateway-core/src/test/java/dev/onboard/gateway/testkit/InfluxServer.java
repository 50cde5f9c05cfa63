package dev.onboard.gateway.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real InfluxDB 1.x ({@code influxd} from Debian's {@code influxdb} package) for tests: its own
 * configuration and data in a temporary directory, HTTP on a free 127.0.0.1 port, reporting off,
 * InfluxDB's own defaults otherwise (durability included: the WAL is fsynced on every write), but a
 * write may take 60 s rather than 10 s before it answers 500 "timeout": on a shared two-core test
 * machine a large batch can take longer, and that is not what the tests and the benchmark measure.
 * {@link #stop()} and {@link #start()} again keep the port and the data, as an outage would.
 */
public final class InfluxServer implements AutoCloseable {

  private static final Path INFLUXD = Path.of("/usr/bin/influxd");

  private final Path dir;
  private final int httpPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private Process process;

  private InfluxServer(Path dir, int httpPort) {
    this.dir = dir;
    this.httpPort = httpPort;
  }

  /** Starts a server with its files under {@code dir}, and waits until it answers. */
  public static InfluxServer start(Path dir) throws IOException {
    if (!Files.isExecutable(INFLUXD)) {
      throw new IllegalStateException(
          "influxd not found at "
              + INFLUXD
              + ": run ./run-tests (it installs Debian's influxdb) or apt-get install influxdb");
    }
    InfluxServer s = new InfluxServer(dir, freePort());
    s.writeConfig(freePort());
    s.start();
    return s;
  }

  private void writeConfig(int rpcPort) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("influxdb.conf"),
        """
        reporting-disabled = true
        bind-address = "127.0.0.1:%d"
        [meta]
          dir = "%s/meta"
          logging-enabled = false
        [data]
          dir = "%s/data"
          wal-dir = "%s/wal"
          query-log-enabled = false
        [coordinator]
          write-timeout = "60s"
        [http]
          bind-address = "127.0.0.1:%d"
          log-enabled = false
        [monitor]
          store-enabled = false
        [continuous_queries]
          enabled = false
        """
            .formatted(rpcPort, dir, dir, dir, httpPort));
  }

  /** Starts (or starts again after {@link #stop()}) on the same port and data. */
  public synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    process =
        new ProcessBuilder(INFLUXD.toString(), "-config", dir.resolve("influxdb.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("influxd.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(this::answers);
  }

  /** Stops the server (SIGTERM) and waits for it to exit. */
  public synchronized void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The running server's process id, e.g. to read its CPU time from {@code /proc}. */
  public synchronized long pid() {
    return process.pid();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  public void createDatabase(String name) throws IOException, InterruptedException {
    query(null, "CREATE DATABASE \"" + name + "\"");
  }

  /** Runs InfluxQL and returns the JSON answer. */
  public JsonNode query(String database, String influxQl) throws IOException, InterruptedException {
    String q =
        "/query?epoch=ms&q="
            + URLEncoder.encode(influxQl, StandardCharsets.UTF_8)
            + (database == null
                ? ""
                : "&db=" + URLEncoder.encode(database, StandardCharsets.UTF_8));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url() + q))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("query failed: " + r.statusCode() + " " + r.body());
    }
    return json.readTree(r.body());
  }

  /** The single number a {@code SELECT count(...)} answers; 0 when there are no rows. */
  public long count(String database, String influxQl) throws IOException, InterruptedException {
    JsonNode values = query(database, influxQl).at("/results/0/series/0/values/0/1");
    return values.isMissingNode() ? 0 : values.asLong();
  }

  private boolean answers() {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create(url() + "/ping")).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 204;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
