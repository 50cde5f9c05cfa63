package dev.onboard.simulator;

import dev.onboard.simulator.opcua.SimulatedOpcUaServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the demo factory and runs it until Ctrl-C: {@code onboard simulate}. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Run a simulated factory: an OPC UA server with 5 machines and 5 MQTT devices on an embedded broker.")
public final class SimulatorMain implements Callable<Integer> {

  @Option(
      names = "--opcua-port",
      defaultValue = "4840",
      description = "OPC UA server port, 0 for a free one (default ${DEFAULT-VALUE})")
  int opcuaPort;

  @Option(
      names = "--mqtt-port",
      defaultValue = "1883",
      description = "embedded MQTT broker port, 0 for a free one (default ${DEFAULT-VALUE})")
  int mqttPort;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimulatorMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    SimulatedFactory factory = new SimulatedFactory(FactorySpec.demo(opcuaPort, mqttPort));
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  factory.close();
                  done.countDown();
                },
                "simulator-shutdown"));
    factory.start();
    for (SimulatedOpcUaServer s : factory.opcuaServers()) {
      System.out.printf(
          "OPC UA %s: %s  devices %s%n", s.config().name(), s.endpointUrl(), s.deviceNames());
    }
    System.out.printf(
        "MQTT broker: %s  devices publish to factory/{enterprise}/{device}/telemetry: %s%n",
        factory.broker().url(),
        factory.spec().mqttDevices().stream().map(d -> d.enterprise() + "/" + d.name()).toList());
    System.out.println("Running; Ctrl-C stops.");
    done.await();
    return 0;
  }
}
