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
    // Up to a line per enterprise (200,000 in the benchmark): printed in large pieces, since
    // System.out flushes at every line, and padded by hand, as "%-22s" would.
    Lines lines = new Lines(out);
    s.awardedByEnterprise()
        .forEach(
            (enterprise, amount) -> {
              if (amount.isPositive()) {
                lines.add("  ", enterprise, 22, " ", amount.toYuanString());
              }
            });
    lines.flush();
    out.println("grand total (yuan): " + s.total().toYuanString());
    if (!outcome.recoverable().isEmpty()) {
      Map<String, Money> byEnterprise = new TreeMap<>();
      Money total = Money.ZERO;
      out.println("recoverable from earlier awards (yuan):");
      for (Recoverable r : outcome.recoverable()) {
        lines.add("  ", r.enterpriseId(), 22, " ", pad(r.subjectId(), 12) + " " + r.reason());
        byEnterprise.merge(r.enterpriseId(), r.amount(), Money::plus);
        total = total.plus(r.amount());
      }
      byEnterprise.forEach((e, m) -> lines.add("  ", e, 22, " total ", m.toYuanString()));
      lines.flush();
      out.println("recoverable total (yuan): " + total.toYuanString());
    }
    out.println("wrote " + outcome.awards().size() + " rows to " + file);
  }

  /** {@code text} left-justified in {@code width} characters, as {@code %-<width>s} pads it. */
  static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }

  /** Lines gathered into pieces of about 64 KB, each printed at once. */
  private static final class Lines {
    private final PrintStream out;
    private final StringBuilder buf = new StringBuilder(1 << 16);

    Lines(PrintStream out) {
      this.out = out;
    }

    /** Adds {@code before + pad(padded, width) + between + after} and a line separator. */
    void add(String before, String padded, int width, String between, String after) {
      buf.append(before).append(padded);
      for (int i = padded.length(); i < width; i++) {
        buf.append(' ');
      }
      buf.append(between).append(after).append(System.lineSeparator());
      if (buf.length() >= 1 << 16) {
        flush();
      }
    }

    void flush() {
      out.print(buf);
      buf.setLength(0);
    }
  }
}
