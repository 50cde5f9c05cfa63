package dev.onboard.app;

import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.supervisor.Gateway;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code onboard check-config --config F}: validates everything, starts nothing. */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    description =
        "Validate a configuration file (sources, adapters' settings, inventory, tokens) without starting anything.")
final class CheckConfigCommand implements Callable<Integer> {

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "the gateway's YAML file")
  Path file;

  @Override
  public Integer call() {
    try (Gateway gateway = Configs.build(file)) {
      GatewayConfig c = gateway.config();
      System.out.printf(
          "OK %s: gateway %s, %d sources, %d enterprises, %d devices, HTTP API %s%n",
          file,
          c.gatewayId(),
          c.sources().size(),
          c.enterprises().size(),
          c.devices().size(),
          c.http().map(h -> "on " + h.host() + ":" + h.port()).orElse("off"));
      return 0;
    } catch (ConfigException e) {
      System.err.println("onboard: " + e.getMessage());
      return 1;
    }
  }
}
