package dev.onboard.app;

import dev.onboard.gateway.config.ConfigLoader;
import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.platform.PlatformCounts;
import dev.onboard.gateway.platform.PlatformView;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.Settings;
import dev.onboard.gateway.uplink.InfluxHttp;
import dev.onboard.gateway.uplink.UplinkConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code onboard platform}: connected-device counts across every gateway, from the central store.
 */
@Command(
    name = "platform",
    mixinStandardHelpOptions = true,
    description = {
      "Connected-device counts across every gateway, read from the central store (InfluxDB).",
      "Counts are computed by InfluxDB with GROUP BY; give --config (its uplink: section) or --url and --database."
    })
final class PlatformCommand implements Callable<Integer> {

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "a gateway configuration with an uplink: section")
  Path config;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "InfluxDB base URL, e.g. http://10.0.0.5:8086")
  URI url;

  @Option(
      names = "--database",
      paramLabel = "DB",
      description = "the database the gateways write to")
  String database;

  @Option(
      names = "--range",
      defaultValue = "24h",
      paramLabel = "DURATION",
      description = "how far back (default ${DEFAULT-VALUE})")
  String range;

  @Option(
      names = "--every",
      defaultValue = "1h",
      paramLabel = "DURATION",
      description = "interval of the counts over time (default ${DEFAULT-VALUE})")
  String every;

  @Override
  public Integer call() throws InterruptedException {
    UplinkConfig uplink;
    try {
      uplink = uplink();
    } catch (ConfigException e) {
      System.err.println("onboard: " + e.getMessage());
      return 1;
    }
    Duration r = Settings.parseDuration(range);
    Duration e = Settings.parseDuration(every);
    if (r == null || e == null || e.compareTo(r) > 0) {
      System.err.println(
          "onboard: --range and --every must be durations (e.g. 24h, 1h) with --every <= --range");
      return 2;
    }
    try {
      print(new PlatformView(new InfluxHttp(uplink), Clock.systemUTC()).counts(r, e));
      return 0;
    } catch (IOException ex) {
      System.err.println(
          "onboard: the central store at " + uplink.url() + " did not answer: " + ex.getMessage());
      return 1;
    }
  }

  private UplinkConfig uplink() throws ConfigException {
    if (config != null) {
      GatewayConfig c = new ConfigLoader().load(config);
      return c.uplink()
          .orElseThrow(
              () ->
                  new ConfigException(
                      config.toString(),
                      "uplink",
                      "is missing",
                      "add an uplink: section, or pass --url and --database"));
    }
    if (url == null || database == null) {
      throw new ConfigException(
          "(command line)",
          "--url/--database",
          "are missing",
          "pass --config FILE, or both --url and --database");
    }
    return UplinkConfig.of(url, database);
  }

  private static void print(PlatformCounts c) {
    System.out.printf(
        "Connected devices now (as of %s; online = online in the last complete minutes)%n",
        c.asOf());
    System.out.printf(
        "%-24s %-8s %9s %7s %7s %6s %8s %8s%n",
        "ENTERPRISE", "PROTOCOL", "REPORTING", "ONLINE", "ONLINE*", "STALE", "OFFLINE", "UNKNOWN");
    long reporting = 0;
    long online = 0;
    for (PlatformCounts.Group g : c.now()) {
      System.out.printf(
          "%-24s %-8s %9d %7d %7d %6d %8d %8d%n",
          g.enterprise(),
          g.protocol(),
          g.reporting(),
          g.online(),
          g.byState().get("ONLINE"),
          g.byState().get("STALE"),
          g.byState().get("OFFLINE"),
          g.byState().get("UNKNOWN"));
      reporting += g.reporting();
      online += g.online();
    }
    System.out.printf("%-24s %-8s %9d %7d%n", "TOTAL", "", reporting, online);
    System.out.println("(ONLINE* STALE OFFLINE UNKNOWN: each device's last reported state)");
    System.out.println();
    System.out.println("Devices online per interval");
    for (PlatformCounts.Interval i : c.overTime()) {
      System.out.printf("%s  %-24s %6d%n", i.start(), i.enterprise(), i.online());
    }
  }
}
