package dev.onboard.app;

import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.ledger.CanonicalJson;
import dev.onboard.gateway.report.ReportException;
import dev.onboard.gateway.report.ReportService;
import dev.onboard.gateway.spi.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code onboard checkpoint --config F --since N|REPORT.json}: the ledger's latest signed
 * checkpoint with the consistency proof from an earlier size, for {@code verify
 * --later-checkpoint}.
 */
@Command(
    name = "checkpoint",
    mixinStandardHelpOptions = true,
    description = {
      "Write the ledger's latest signed checkpoint with the RFC 6962 consistency proof from an"
          + " earlier tree size (a report's), for: onboard verify REPORT.json --key PUB"
          + " --later-checkpoint FILE"
    })
final class CheckpointCommand implements Callable<Integer> {

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "the gateway's YAML file")
  Path file;

  @Option(
      names = "--since",
      required = true,
      paramLabel = "N|REPORT.json",
      description = "the earlier tree size, or a report whose checkpoint gives it")
  String since;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "where to write it (default: standard output)")
  Path out;

  @Override
  public Integer call() {
    try {
      GatewayConfig config = ReportCommand.loadForReading(file);
      byte[] later = ReportService.laterCheckpointFromDataDir(config, size(since));
      if (out == null) {
        System.out.write(later);
        System.out.flush();
      } else {
        Files.write(out, later);
        System.err.println("Wrote " + out);
      }
      return 0;
    } catch (ConfigException | ReportException e) {
      System.err.println("onboard: " + e.getMessage());
      return 1;
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("onboard: " + e.getMessage());
      return 1;
    }
  }

  private static long size(String since) throws IOException {
    if (since.matches("[0-9]+")) {
      return Long.parseLong(since);
    }
    Object doc = CanonicalJson.parse(Files.readAllBytes(Path.of(since)));
    if (doc instanceof Map<?, ?> m
        && m.get("report") instanceof Map<?, ?> r
        && r.get("checkpoint") instanceof Map<?, ?> c
        && c.get("treeSize") instanceof Long n) {
      return n;
    }
    throw new IllegalArgumentException(since + " is neither a tree size nor an onboard report");
  }
}
