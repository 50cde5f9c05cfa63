package dev.onboard.app;

import dev.onboard.gateway.config.ConfigLoader;
import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.report.ReportService;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.supervisor.Gateway;
import dev.onboard.simulator.FactorySpec;
import dev.onboard.simulator.SimulatedFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The demo, runnable from the command line and from tests alike: a simulated factory, a gateway
 * configured for it from the shipped template, and optionally a local InfluxDB as the central
 * store. The effective configuration is written into the demo's data directory, so what ran can be
 * read and reused.
 *
 * <p>Lifecycle: {@link #start} starts the factory, the store and the gateway; {@link #close()}
 * stops them in reverse.
 */
final class Demo implements AutoCloseable {

  private final SimulatedFactory factory;
  private final Optional<LocalInflux> influx;
  private final Gateway gateway;
  private final String token;
  private final Path configFile;

  private Demo(
      SimulatedFactory factory,
      Optional<LocalInflux> influx,
      Gateway gateway,
      String token,
      Path configFile) {
    this.factory = factory;
    this.influx = influx;
    this.gateway = gateway;
    this.token = token;
    this.configFile = configFile;
  }

  /**
   * @param dataDir where the demo keeps its configuration, gateway data and InfluxDB
   * @param httpPort the API's port; 0 picks a free one
   * @param withInflux start Debian's influxd as the central store
   */
  static Demo start(Path dataDir, int httpPort, boolean withInflux)
      throws ConfigException, IOException, InterruptedException {
    Files.createDirectories(dataDir);
    SimulatedFactory factory = new SimulatedFactory(FactorySpec.demo(0, 0));
    Optional<LocalInflux> influx = Optional.empty();
    try {
      factory.start();
      if (withInflux) {
        influx = Optional.of(LocalInflux.start(dataDir.resolve("influxdb"), "onboard"));
      }
      String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
      Path configFile = dataDir.resolve("onboard-demo.yaml");
      Files.writeString(
          configFile,
          template()
              .replace("${DATA_DIR}", dataDir.resolve("gateway").toString())
              .replace("${OPCUA_ENDPOINT}", factory.opcua("plant-1").endpointUrl())
              .replace("${MQTT_BROKER}", factory.broker().url())
              .replace("${HTTP_PORT}", Integer.toString(httpPort))
              .replace(
                  "${UPLINK}",
                  influx
                      .map(i -> "uplink: {url: \"" + i.url() + "\", database: onboard}\n")
                      .orElse("")));
      GatewayConfig config =
          new ConfigLoader(Map.of("ONBOARD_DEMO_TOKEN", token)::get).load(configFile);
      Gateway gateway = Gateway.build(config, Clock.systemUTC());
      gateway.start().join();
      return new Demo(factory, influx, gateway, token, configFile);
    } catch (ConfigException | IOException | InterruptedException | RuntimeException e) {
      influx.ifPresent(LocalInflux::close);
      factory.close();
      throw e;
    }
  }

  private static String template() {
    try (InputStream in = Demo.class.getResourceAsStream("/demo/onboard-demo.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  SimulatedFactory factory() {
    return factory;
  }

  Gateway gateway() {
    return gateway;
  }

  Optional<LocalInflux> influx() {
    return influx;
  }

  /** The operator token the demo generated for its API. */
  String token() {
    return token;
  }

  Path configFile() {
    return configFile;
  }

  /** Reports from the running gateway's ledger, as the API serves them to auditors. */
  ReportService reports() {
    return new ReportService(gateway.config(), gateway::ledger, Clock.systemUTC());
  }

  int apiPort() {
    return gateway.apiAddress().orElseThrow().getPort();
  }

  @Override
  public void close() {
    gateway.close();
    influx.ifPresent(LocalInflux::close);
    factory.close();
  }
}
