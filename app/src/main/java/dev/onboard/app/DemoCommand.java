package dev.onboard.app;

import dev.onboard.gateway.api.Counts;
import dev.onboard.gateway.ledger.GatewayKey;
import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.liveness.DeviceView;
import dev.onboard.gateway.report.ReportException;
import dev.onboard.gateway.report.ReportService;
import dev.onboard.gateway.report.ReportVerifier;
import dev.onboard.gateway.report.SignedReport;
import dev.onboard.gateway.spi.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code onboard demo}: a simulated factory (an OPC UA server with 5 machines, 5 MQTT devices), the
 * gateway, and when Debian's influxd is installed a local central store. Prints the devices and
 * their counts once all are online (within 30 s); then, once the demo policy's 3-minute observation
 * windows are signed into the ledger, enterprise E001's signed report and {@code verify} on it;
 * serves the API and dashboard until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run a simulated factory and the gateway; show devices, counts and where to look next.")
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description = "the API and dashboard's port, 0 for a free one (default ${DEFAULT-VALUE})")
  int httpPort;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "where the demo keeps its data (default: a new temporary directory)")
  Path dataDir;

  @Option(
      names = "--no-influx",
      description = "do not start a local InfluxDB even when Debian's influxdb is installed")
  boolean noInflux;

  @Option(
      names = "--exit-after-table",
      hidden = true,
      description = "print the table and stop (for tests)")
  boolean exitAfterTable;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("onboard-demo-");
    boolean influx = !noInflux && LocalInflux.installed();
    Instant started = Instant.now();
    out.println("Starting the simulated factory and the gateway (data in " + dir + ")...");
    if (!noInflux && !influx) {
      out.println(
          "Debian's influxdb is not installed, so there is no central store: points wait in the outbox. (apt-get install influxdb to see the platform view.)");
    }
    Demo demo;
    try {
      demo = Demo.start(dir, httpPort, influx);
    } catch (ConfigException e) {
      System.err.println("onboard: " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      System.err.println("onboard: the demo could not start: " + RunCommand.rootMessage(e));
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              out.println("Stopping the demo...");
              demo.close();
              stopped.countDown();
            },
            "onboard-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    List<DeviceView> devices = awaitAllOnline(demo, Duration.ofSeconds(30));
    out.println();
    ConsoleTable.devices(out, devices);
    out.println();
    ConsoleTable.counts(out, Counts.of(devices));
    out.printf("%nUp in %.1f s.%n", Duration.between(started, Instant.now()).toMillis() / 1000.0);
    printNextSteps(out, demo);
    if (exitAfterTable) {
      Runtime.getRuntime().removeShutdownHook(hook);
      demo.close();
      return devices.stream().allMatch(d -> d.state() == DeviceState.ONLINE) ? 0 : 3;
    }
    try {
      showReport(out, demo, dir);
    } catch (RuntimeException | IOException e) {
      if (stopped.getCount() > 0) {
        out.println("The report could not be made: " + RunCommand.rootMessage(e));
      }
    }
    stopped.await();
    return 0;
  }

  /** The enterprise whose report the demo makes. */
  static final String REPORT_ENTERPRISE = "E001";

  /**
   * Waits until every device of {@link #REPORT_ENTERPRISE} has a complete observation window in the
   * signed ledger, writes the signed report, verifies it as an auditor would and says how to do
   * both by hand.
   */
  private static void showReport(PrintStream out, Demo demo, Path dir)
      throws IOException, InterruptedException {
    var policy = demo.gateway().config().policy();
    Duration window = policy.verification().window();
    int year = java.time.LocalDate.now(policy.verification().zone()).getYear();
    out.printf(
        "%nVerifying devices: the demo policy %s observes each device for %d min from its first"
            + " Good data (P1's rules; the real policy observes 30 days), then meters it."
            + " The signed report of %s follows in about %d min.%n",
        policy.name(), window.toMinutes(), REPORT_ENTERPRISE, window.toMinutes() + 1);
    SignedReport report = awaitReport(demo, year, window.plus(Duration.ofMinutes(3)));
    if (report == null) {
      out.println("The ledger has no signed checkpoint yet; try: ./onboard report (below).");
    } else {
      Path json = report.write(dir.resolve("reports"));
      out.println();
      ReportCommand.print(out, report);
      Path key = ReportService.publicKey(demo.gateway().config());
      ReportVerifier.Verdict verdict =
          ReportVerifier.verify(Files.readAllBytes(json), GatewayKey.readPublicKey(key), null);
      out.printf("%nAn auditor checks it offline: ./onboard verify %s --key %s%n", json, key);
      verdict.lines().forEach(l -> out.println("  " + l));
      if (demo.influx().isEmpty()) {
        out.println(
            "  (No central store ran, so no data arrived on the platform: VERIFICATION 2 fails"
                + " for every device. Install influxdb to see devices verified.)");
      }
    }
    Path config = demo.configFile();
    out.printf(
        "%nReport:     ./onboard report --config %s --enterprise %s --year %d --out %s%n",
        config, REPORT_ENTERPRISE, year, dir.resolve("reports"));
    out.printf(
        "Verify:     ./onboard verify %s --key %s%n",
        dir.resolve("reports").resolve("report-" + REPORT_ENTERPRISE + "-" + year + ".json"),
        ReportService.publicKey(demo.gateway().config()));
    out.printf(
        "Report API: curl -H 'Authorization: Bearer %s' 'http://127.0.0.1:%d/api/v1/reports/%s?year=%d&format=html' > report.html%n",
        demo.token(), demo.apiPort(), REPORT_ENTERPRISE, year);
    out.println("Running; Ctrl-C stops everything.");
  }

  /**
   * The report once no device is pending and every device's window has begun, or the last report
   * made when {@code limit} runs out; null when the ledger has no checkpoint by then.
   */
  static SignedReport awaitReport(Demo demo, int year, Duration limit)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    SignedReport last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        last = demo.reports().report(REPORT_ENTERPRISE, year);
        boolean complete =
            last.rows().stream()
                .allMatch(r -> r.get("windowStart") != null && !"PENDING".equals(r.get("status")));
        if (complete) {
          return last;
        }
      } catch (ReportException e) {
        // No checkpoint yet: the first comes when the first summary period ends.
      }
      Thread.sleep(5_000);
    }
    return last;
  }

  private static List<DeviceView> awaitAllOnline(Demo demo, Duration limit)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    List<DeviceView> devices = demo.gateway().liveness().devices();
    while (Instant.now().isBefore(deadline)
        && !devices.stream().allMatch(d -> d.state() == DeviceState.ONLINE)) {
      Thread.sleep(250);
      devices = demo.gateway().liveness().devices();
    }
    return devices;
  }

  private static void printNextSteps(PrintStream out, Demo demo) {
    String base = "http://127.0.0.1:" + demo.apiPort();
    out.println();
    // The token rides in the URL fragment, which browsers never send to the server.
    String fragment = "#" + String.join("=", "token", demo.token());
    out.println("Dashboard:  " + base + "/" + fragment);
    out.println(
        "API:        curl -H 'Authorization: Bearer "
            + demo.token()
            + "' "
            + base
            + "/api/v1/counts");
    out.println("            (also /api/v1/devices, /api/v1/sources, /api/v1/uplink, /metrics)");
    out.println("Config:     " + demo.configFile());
    demo.influx()
        .ifPresent(
            i ->
                out.println(
                    "Platform:   ./onboard platform --url "
                        + i.url()
                        + " --database onboard   (after a minute of presence)"));
    out.println(
        "Faults:     stop the demo with Ctrl-C; tests inject faults through the simulator's API.");
  }
}
