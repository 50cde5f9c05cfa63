package dev.onboard.meter.allocation;

import dev.onboard.meter.money.Money;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;

/**
 * The reasons of a per-device award whose first reason is the award formula of 第四条 ("award =
 * min(cost 1714.40, 2000.00) = 1714.40 (source)"), kept as the three amounts and spelled out only
 * when read (awards.csv, the summary, a test). For a million devices the spelled-out text was about
 * 200 bytes a device held until the run ended, and copying it from GC to GC was most of the
 * allocation step's cost (BENCHMARKS.md › Meter); the text read back is the same, character for
 * character, as the one built eagerly.
 *
 * <p>Immutable and thread-safe. Amounts are yuan in fen ({@link Money}); nothing is rounded here:
 * {@code own} was rounded half-up to the fen once, by the allocator.
 */
final class FormulaReasons extends AbstractList<String> {
  private final Money cost;
  private final Money perDevice;
  private final Money own;
  private final String source;
  private final List<String> rest;

  /**
   * @param cost the device's onboarding cost
   * @param perDevice the policy's per-device amount
   * @param own min(cost, perDevice), before 就高不重复 and the caps
   * @param source the clause the formula cites
   * @param rest the reasons that follow the formula, in order (copied)
   */
  FormulaReasons(Money cost, Money perDevice, Money own, String source, List<String> rest) {
    this.cost = Objects.requireNonNull(cost, "cost");
    this.perDevice = Objects.requireNonNull(perDevice, "perDevice");
    this.own = Objects.requireNonNull(own, "own");
    this.source = Objects.requireNonNull(source, "source");
    this.rest = List.copyOf(rest);
  }

  @Override
  public String get(int index) {
    if (index == 0) {
      return "award = min(cost " + cost + ", " + perDevice + ") = " + own + " (" + source + ")";
    }
    Objects.checkIndex(index, size());
    return rest.get(index - 1);
  }

  @Override
  public int size() {
    return 1 + rest.size();
  }
}
