package dev.onboard.meter.cli;

import dev.onboard.meter.allocation.Award;
import dev.onboard.meter.allocation.AwardSummary;
import java.io.PrintStream;
import java.util.List;

/** Prints the run's summary on stdout: rows per status, yuan per enterprise, grand total. */
final class Summary {
  private Summary() {}

  static void print(PrintStream out, String noun, List<Award> awards, String file) {
    AwardSummary s = AwardSummary.of(awards);
    out.println(noun + " by status:");
    s.rowsByStatus().forEach((status, n) -> out.printf("  %-22s %d%n", status, n));
    out.println("awarded by enterprise (yuan):");
    s.awardedByEnterprise()
        .forEach(
            (enterprise, amount) -> {
              if (amount.isPositive()) {
                out.printf("  %-22s %s%n", enterprise, amount.toYuanString());
              }
            });
    out.println("grand total (yuan): " + s.total().toYuanString());
    out.println("wrote " + awards.size() + " rows to " + file);
  }
}
