package dev.onboard.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away InfluxDB for the demo: Debian's {@code influxd} with its own configuration and data
 * in the demo's directory, HTTP on a free loopback port, usage reporting off.
 */
final class LocalInflux implements AutoCloseable {

  static final Path INFLUXD = Path.of("/usr/bin/influxd");

  private final Process process;
  private final URI url;

  private LocalInflux(Process process, URI url) {
    this.process = process;
    this.url = url;
  }

  static boolean installed() {
    return Files.isExecutable(INFLUXD);
  }

  /** Starts influxd under {@code dir}, waits until it answers and creates {@code database}. */
  static LocalInflux start(Path dir, String database) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int http = freePort();
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
        [http]
          bind-address = "127.0.0.1:%d"
          log-enabled = false
        [monitor]
          store-enabled = false
        """
            .formatted(freePort(), dir, dir, dir, http));
    Process p =
        new ProcessBuilder(INFLUXD.toString(), "-config", dir.resolve("influxdb.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("influxd.log").toFile())
            .start();
    URI url = URI.create("http://127.0.0.1:" + http);
    LocalInflux influx = new LocalInflux(p, url);
    HttpClient client = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      try {
        if (client
                .send(
                    HttpRequest.newBuilder(url.resolve("/ping")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 204) {
          break;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        influx.close();
        throw new IOException("influxd did not start; see " + dir.resolve("influxd.log"));
      }
      Thread.sleep(100);
    }
    client.send(
        HttpRequest.newBuilder(url.resolve("/query?q=CREATE%20DATABASE%20%22" + database + "%22"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.discarding());
    return influx;
  }

  URI url() {
    return url;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
