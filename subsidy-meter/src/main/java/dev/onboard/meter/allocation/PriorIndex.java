package dev.onboard.meter.allocation;

import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.money.Money;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Awards already paid (prior.csv), indexed by subject: what this policy paid, and what other
 * policies paid. Only positive amounts count as paid.
 *
 * <p>Immutable after construction; thread-safe for reading.
 */
final class PriorIndex {
  private final Map<String, Money> paidHere = new HashMap<>();
  private final Map<String, Map<String, Money>> paidElsewhere = new HashMap<>();
  private final Map<String, Money> paidHereInYear = new HashMap<>();
  private final Map<String, Boolean> subjects = new HashMap<>();
  private Money paidHereInYearTotal = Money.ZERO;

  PriorIndex(String policy, int year, List<PriorAward> prior) {
    for (PriorAward p : prior) {
      if (!p.amount().isPositive()) {
        continue;
      }
      subjects.put(p.subjectId(), Boolean.TRUE);
      if (p.policy().equals(policy)) {
        paidHere.merge(p.subjectId(), p.amount(), Money::plus);
        if (p.year() == year) {
          paidHereInYear.merge(p.subjectId(), p.amount(), Money::plus);
          paidHereInYearTotal = paidHereInYearTotal.plus(p.amount());
        }
      } else {
        paidElsewhere
            .computeIfAbsent(p.subjectId(), k -> new TreeMap<>())
            .merge(p.policy(), p.amount(), Money::plus);
      }
    }
  }

  /**
   * Whether anything was paid to the subject, by any policy: one look-up instead of three for the
   * many subjects nobody paid.
   */
  boolean knows(String subject) {
    return subjects.containsKey(subject);
  }

  /** What this policy already paid the subject (any year), zero if nothing. */
  Money paidHere(String subject) {
    return paidHere.getOrDefault(subject, Money.ZERO);
  }

  /** What this policy paid the subject in the run's year: counts against this year's caps. */
  Money paidHereThisYear(String subject) {
    return paidHereInYear.getOrDefault(subject, Money.ZERO);
  }

  /** Everything this policy paid in the run's year: counts against the programme budget. */
  Money paidHereThisYearTotal() {
    return paidHereInYearTotal;
  }

  /** What other policies paid the subject, by policy name (sorted). */
  Map<String, Money> paidElsewhere(String subject) {
    return paidElsewhere.getOrDefault(subject, Map.of());
  }
}
