package dev.onboard.meter.cli;

import dev.onboard.meter.allocation.AwardSummary;
import dev.onboard.meter.allocation.Recoverable;
import dev.onboard.meter.money.Money;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints the run's summary on stdout: rows per status, yuan per enterprise, grand total, and what
 * is recoverable from earlier years when an enterprise broke a clawback rule.
 */
final class Summary {
  private Summary() {}

  static void print(PrintStream out, Outcome outcome, String file) {
    String noun = outcome.idColumn().equals("device_id") ? "devices" : "claims";
    AwardSummary s = AwardSummary.of(outcome.awards());
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
    if (!outcome.recoverable().isEmpty()) {
      Map<String, Money> byEnterprise = new TreeMap<>();
      Money total = Money.ZERO;
      out.println("recoverable from earlier awards (yuan):");
      for (Recoverable r : outcome.recoverable()) {
        out.printf("  %-22s %-12s %s%n", r.enterpriseId(), r.subjectId(), r.reason());
        byEnterprise.merge(r.enterpriseId(), r.amount(), Money::plus);
        total = total.plus(r.amount());
      }
      byEnterprise.forEach((e, m) -> out.printf("  %-22s total %s%n", e, m.toYuanString()));
      out.println("recoverable total (yuan): " + total.toYuanString());
    }
    out.println("wrote " + outcome.awards().size() + " rows to " + file);
  }
}
