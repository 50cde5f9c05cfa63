package dev.onboard.app;

import dev.onboard.gateway.ledger.GatewayKey;
import dev.onboard.gateway.report.ReportVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code onboard verify REPORT.json --key gateway.pub}: checks a report offline, with nothing but
 * this executable and the gateway's public key.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a signed report offline: its signature, every evidence record's inclusion proof"
          + " against the signed checkpoint, optionally a later checkpoint, and every award"
          + " recomputed by the meter. Prints OK, or each row or proof that fails and why."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:OK: every check passed",
      "1:the report or a key cannot be read, or it is not an onboard report",
      "2:wrong usage",
      "3:signature: the report is not what the gateway signed (changed, or another key)",
      "4:checkpoint: the report's checkpoint is not signed by the key",
      "5:evidence: a record is not in the signed tree, or a record is missing",
      "6:later checkpoint: unsigned, or the ledger was rewritten since the report",
      "7:policy: a built-in policy's name is used for other rules",
      "8:awards: a row or total differs from what the meter computes",
    })
final class VerifyCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "REPORT.json", description = "the signed report")
  Path report;

  @Option(
      names = {"-k", "--key"},
      required = true,
      paramLabel = "PUB",
      description = "the gateway's public key (gateway-ed25519.pub), from its operator")
  Path key;

  @Option(
      names = "--later-checkpoint",
      paramLabel = "FILE",
      description =
          "a later checkpoint with its consistency proof (onboard checkpoint --since REPORT.json):"
              + " shows the ledger was not rewritten since the report")
  Path later;

  @Override
  public Integer call() {
    byte[] bytes;
    PublicKey publicKey;
    byte[] laterBytes = null;
    try {
      bytes = Files.readAllBytes(report);
      publicKey = GatewayKey.readPublicKey(key);
      if (later != null) {
        laterBytes = Files.readAllBytes(later);
      }
    } catch (NoSuchFileException e) {
      System.err.println("onboard: no such file: " + e.getFile());
      return 1;
    } catch (IOException e) {
      System.err.println("onboard: " + e.getMessage());
      return 1;
    }
    ReportVerifier.Verdict verdict = ReportVerifier.verify(bytes, publicKey, laterBytes);
    System.out.println("verify " + report);
    verdict.lines().forEach(System.out::println);
    return verdict.exitCode();
  }
}
