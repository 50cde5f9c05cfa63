package dev.onboard.app;

import dev.onboard.gateway.config.ConfigLoader;
import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.report.ReportException;
import dev.onboard.gateway.report.ReportService;
import dev.onboard.gateway.report.SignedReport;
import dev.onboard.gateway.spi.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code onboard report --config F --enterprise E --year Y}: the signed report of one enterprise
 * for one year, from the gateway's evidence ledger (read-only; the gateway may be running).
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Meter one enterprise's devices for a year on the gateway's signed evidence and write the"
          + " signed report: JSON (the signed original), CSV and a printable HTML page.",
      "Reads the ledger in the configuration's data dir without changing it; the gateway may be"
          + " running. Signs with the gateway's key (dataDir/keys)."
    },
    footer = {"", "Check the report offline with: onboard verify REPORT.json --key gateway.pub"})
final class ReportCommand implements Callable<Integer> {

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "the gateway's YAML file")
  Path file;

  @Option(
      names = {"-e", "--enterprise"},
      required = true,
      paramLabel = "ID",
      description = "the enterprise, as in inventory.enterprises")
  String enterprise;

  @Option(
      names = {"-y", "--year"},
      required = true,
      paramLabel = "YEAR",
      description = "the award year, e.g. 2026")
  int year;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      defaultValue = ".",
      description = "where to write report-E-Y.json, .csv and .html (default: here)")
  Path out;

  @Override
  public Integer call() {
    PrintStream o = System.out;
    GatewayConfig config;
    try {
      config = loadForReading(file);
    } catch (ConfigException e) {
      System.err.println("onboard: " + e.getMessage());
      return 1;
    }
    SignedReport report;
    Path json;
    try {
      report = ReportService.fromDataDir(config, enterprise, year, Clock.systemUTC());
      json = report.write(out);
    } catch (ReportException e) {
      System.err.println("onboard: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      System.err.println("onboard: " + RunCommand.rootMessage(e));
      return 1;
    }
    print(o, report);
    o.printf(
        "Wrote %s (signed), %s.csv and %s.html in %s%n",
        json.getFileName(), report.baseName(), report.baseName(), out.toAbsolutePath().normalize());
    o.println("Verify: ./onboard verify " + json + " --key " + ReportService.publicKey(config));
    return 0;
  }

  /**
   * Loads the configuration for commands that read the data dir only: secrets (API tokens, store
   * credentials) are not needed, so unset environment variables do not stop them.
   */
  static GatewayConfig loadForReading(Path file) throws ConfigException {
    return new ConfigLoader(
            name -> {
              String v = System.getenv(name);
              return v == null || v.isEmpty() ? "(not needed to read the ledger)" : v;
            })
        .load(file);
  }

  /** The report as a table: device, status, online ratio, cost, award. */
  static void print(PrintStream o, SignedReport report) {
    Map<String, Object> t = report.totals();
    o.printf("Report of enterprise %s for %d%n", report.enterpriseId(), report.year());
    String format = "  %-12s %-22s %-8s %10s %10s  %s%n";
    o.printf(format, "DEVICE", "STATUS", "ONLINE", "COST", "AWARD", "WHY");
    for (Map<String, Object> r : report.rows()) {
      Object ratio = r.get("onlineRatio");
      Object cost = r.get("costYuan");
      @SuppressWarnings("unchecked")
      java.util.List<Object> reasons = (java.util.List<Object>) r.get("reasons");
      String why = reasons.isEmpty() ? "" : String.valueOf(reasons.get(reasons.size() - 1));
      o.printf(
          format,
          r.get("device"),
          r.get("status"),
          ratio == null ? "-" : ratio,
          cost == null ? "-" : cost,
          r.get("awardYuan"),
          why.length() > 90 ? why.substring(0, 89) + "…" : why);
    }
    o.printf(
        "  %s devices %s; awarded %s yuan (cost %s; per device at most %s; enterprise cap %s)%n",
        t.get("devices"),
        t.get("byStatus"),
        t.get("awardedYuan"),
        t.get("costYuan"),
        t.get("perDeviceAmountYuan"),
        t.get("enterpriseYearCapYuan"));
  }
}
