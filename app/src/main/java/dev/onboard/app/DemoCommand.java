package dev.onboard.app;

import dev.onboard.gateway.api.Counts;
import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.liveness.DeviceView;
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
 * their counts once all are online (within 30 s), then serves the API and dashboard until Ctrl-C.
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
    stopped.await();
    return 0;
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
    out.println("Running; Ctrl-C stops everything.");
  }
}
