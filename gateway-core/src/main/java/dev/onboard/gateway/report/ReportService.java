package dev.onboard.gateway.report;

import dev.onboard.gateway.config.GatewayConfig;
import dev.onboard.gateway.ledger.GatewayKey;
import dev.onboard.gateway.ledger.Ledger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reports of a configured gateway: from its running ledger (the API) or, for {@code onboard report}
 * beside a running or stopped gateway, from its data directory read-only.
 *
 * <p>Thread-safe: each call reads the ledger under the ledger's lock.
 */
public final class ReportService {

  private final GatewayConfig config;
  private final Supplier<Optional<Ledger>> ledger;
  private final Clock clock;

  /**
   * @param ledger the gateway's open ledger; empty while the gateway is not started
   */
  public ReportService(GatewayConfig config, Supplier<Optional<Ledger>> ledger, Clock clock) {
    this.config = config;
    this.ledger = ledger;
    this.clock = clock;
  }

  /** The signed report of {@code enterprise} for {@code year}, from the running ledger. */
  public SignedReport report(String enterprise, int year) throws ReportException, IOException {
    Ledger l = ledger.get().orElseThrow(() -> new ReportException("the ledger is not open yet"));
    return ReportBuilder.build(
        l, l.key(), config.policy(), enterprise, year, clock.instant(), generator());
  }

  /** The latest checkpoint with a consistency proof from {@code since} records. */
  public byte[] laterCheckpoint(long since) throws ReportException {
    Ledger l = ledger.get().orElseThrow(() -> new ReportException("the ledger is not open yet"));
    return LaterCheckpoint.build(l, since);
  }

  /** The signed report from the gateway's data directory, read-only: the gateway may be running. */
  public static SignedReport fromDataDir(
      GatewayConfig config, String enterprise, int year, Clock clock)
      throws ReportException, IOException {
    try (Ledger l = openLedger(config)) {
      GatewayKey key;
      try {
        key = GatewayKey.load(keys(config));
      } catch (NoSuchFileException e) {
        throw new ReportException(
            "no gateway key in " + keys(config) + ": the gateway creates it when it first starts");
      }
      return ReportBuilder.build(
          l, key, config.policy(), enterprise, year, clock.instant(), generator());
    }
  }

  /** {@link #laterCheckpoint} from the data directory, read-only. */
  public static byte[] laterCheckpointFromDataDir(GatewayConfig config, long since)
      throws ReportException, IOException {
    try (Ledger l = openLedger(config)) {
      return LaterCheckpoint.build(l, since);
    }
  }

  /** Where the gateway keeps its key pair. */
  public static Path keys(GatewayConfig config) {
    return config.dataDir().resolve("keys");
  }

  /** The public key file auditors verify reports with. */
  public static Path publicKey(GatewayConfig config) {
    return GatewayKey.publicKeyFile(keys(config));
  }

  private static Ledger openLedger(GatewayConfig config) throws ReportException, IOException {
    Path dir = config.dataDir().resolve("ledger");
    if (!Files.exists(dir.resolve("records.log"))) {
      throw new ReportException(
          "no evidence ledger in "
              + dir
              + ": run the gateway with this configuration first (onboard run --config "
              + config.file()
              + ")");
    }
    return Ledger.openReadOnly(dir);
  }

  /** The software that makes the report, as shown in it. */
  public static String generator() {
    String v = ReportService.class.getPackage().getImplementationVersion();
    return "onboard " + (v == null ? "development" : v);
  }
}
