package dev.onboard.app;

import dev.onboard.gateway.config.ConfigLoader;
import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.supervisor.Gateway;
import java.nio.file.Path;
import java.time.Clock;

/** Loads and builds a gateway the same way for every command, so they all report errors alike. */
final class Configs {

  private Configs() {}

  /** Loads the file and builds the gateway (adapters validate their settings); starts nothing. */
  static Gateway build(Path file) throws ConfigException {
    GatewayConfig config = new ConfigLoader().load(file);
    return Gateway.build(config, Clock.systemUTC());
  }
}
