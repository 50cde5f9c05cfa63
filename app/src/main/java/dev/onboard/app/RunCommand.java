package dev.onboard.app;

import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.supervisor.Gateway;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code onboard run --config F}: runs the gateway until SIGINT/SIGTERM. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the gateway with a configuration file until stopped (Ctrl-C or SIGTERM).")
final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "the gateway's YAML file")
  Path file;

  @Override
  public Integer call() throws InterruptedException {
    Gateway gateway;
    try {
      gateway = Configs.build(file);
    } catch (ConfigException e) {
      System.err.println("onboard: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping");
                  gateway.close();
                  stopped.countDown();
                },
                "onboard-shutdown"));
    try {
      gateway.start().join();
    } catch (RuntimeException e) {
      System.err.println("onboard: cannot start: " + rootMessage(e));
      gateway.close();
      return 1;
    }
    log.info(
        "gateway {} running: {} sources, {} devices{}",
        gateway.config().gatewayId(),
        gateway.config().sources().size(),
        gateway.config().devices().size(),
        gateway
            .apiAddress()
            .map(a -> ", API on http://" + a.getHostString() + ":" + a.getPort() + "/api/v1/")
            .orElse(""));
    stopped.await();
    return 0;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
