package dev.onboard.adapters.mqtt;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mosquitto} binary, started by a test on a free 127.0.0.1 port with its own config
 * in a temp directory (anonymous, no persistence, {@code user root} so it does not drop to a user
 * that cannot read the directory). {@link #stop()} kills it like a power cut; {@link #start()}
 * again restarts it on the same port. Thread-safe enough for tests (synchronized).
 */
public final class Mosquitto implements AutoCloseable {

  private static final List<Path> CANDIDATES =
      List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"));

  private final Path dir;
  private final Path binary;
  private final int port;
  private Process process;

  public Mosquitto() throws IOException {
    this.binary = find();
    this.dir = Files.createTempDirectory("onboard-mosquitto-");
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      this.port = s.getLocalPort();
    }
    Files.writeString(
        dir.resolve("mosquitto.conf"),
        String.join(
            "\n",
            "listener " + port + " 127.0.0.1",
            "allow_anonymous true",
            "persistence false",
            "user root",
            "log_dest file " + dir.resolve("mosquitto.log"),
            "log_type error",
            "log_type warning",
            "max_queued_messages 100000",
            ""));
  }

  /** Fails with one line saying how to install Mosquitto when the binary is missing. */
  static Path find() {
    for (Path p : CANDIDATES) {
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "mosquitto is not installed (looked in /usr/sbin and /usr/bin): "
            + "run 'apt-get install -y mosquitto' before the integration tests");
  }

  public synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    process =
        new ProcessBuilder(binary.toString(), "-c", dir.resolve("mosquitto.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(this::accepts);
  }

  /** Kills the broker at once (SIGKILL): no goodbye to any client. */
  public synchronized void stop() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    stop();
  }

  private boolean accepts() {
    if (process != null && !process.isAlive()) {
      throw new IllegalStateException(
          "mosquitto exited with " + process.exitValue() + "; see " + dir.resolve("stdout.log"));
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
