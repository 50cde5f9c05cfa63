package dev.onboard.simulator.mqtt;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * An MQTT 3.1.1 broker (Moquette) in this JVM, on 127.0.0.1, anonymous, without persistence.
 *
 * <p>Port 0 picks a free port at the first start; {@link #stop()} keeps that port so the next
 * {@link #start()} is a broker restart on the same address, as a power cut and reboot would be.
 * Sessions and retained messages do not survive a restart (nothing is persisted).
 *
 * <p>Moquette rejects MQTT 5 CONNECTs: clients must use 3.1.1.
 *
 * <p>Thread-safety: all methods are safe from any thread; start and stop are idempotent.
 */
public final class EmbeddedBroker implements AutoCloseable {

  /** Large enough for the oversize-payload tests, which need the broker to pass the message. */
  private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  private final Object lock = new Object();
  private int port;
  private Server server;
  private Path dataDir;

  /** A broker that will listen on {@code port} (0 = a free port chosen at the first start). */
  public EmbeddedBroker(int port) {
    this.port = port;
  }

  /** A broker on a free port. */
  public EmbeddedBroker() {
    this(0);
  }

  /** Starts the broker if it is not running; completes when it accepts connections. */
  public CompletableFuture<Void> start() {
    synchronized (lock) {
      if (server != null) {
        return CompletableFuture.completedFuture(null);
      }
      try {
        if (dataDir == null) {
          dataDir = Files.createTempDirectory("onboard-moquette-");
        }
        if (port == 0) {
          // Moquette reports the configured port, not the bound one: choose a free port first.
          port = freePort();
        }
        Server s = new Server();
        s.startServer(config(), List.of());
        server = s;
        return CompletableFuture.completedFuture(null);
      } catch (IOException e) {
        return CompletableFuture.failedFuture(new UncheckedIOException("broker start", e));
      }
    }
  }

  /** Stops the broker, dropping every client connection at once; keeps the port. */
  public CompletableFuture<Void> stop() {
    synchronized (lock) {
      if (server != null) {
        server.stopServer();
        server = null;
      }
      return CompletableFuture.completedFuture(null);
    }
  }

  public boolean isRunning() {
    synchronized (lock) {
      return server != null;
    }
  }

  /** The port; before the first start of a port-0 broker, 0. */
  public int port() {
    synchronized (lock) {
      return port;
    }
  }

  /** Where clients connect, e.g. {@code tcp://127.0.0.1:41883}. */
  public String url() {
    return "tcp://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    stop().join();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private IConfig config() {
    Properties p = new Properties();
    p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
    p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
    p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dataDir.toString());
    // Moquette reports usage to its authors by default; a test fixture must not phone home.
    p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_MESSAGE_BYTES));
    p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled");
    return new MemoryConfig(p);
  }
}
