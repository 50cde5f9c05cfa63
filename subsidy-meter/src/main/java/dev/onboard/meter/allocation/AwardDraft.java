package dev.onboard.meter.allocation;

import dev.onboard.meter.money.Money;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An award being worked out by an allocator: the statuses that applied, every reason, and the
 * amount so far. Not thread-safe; one per device or claim, on one thread.
 */
class AwardDraft {
  final Set<AwardStatus> statuses = EnumSet.noneOf(AwardStatus.class);
  final List<String> reasons = new ArrayList<>();
  Money amount = Money.ZERO;

  /** Notes that {@code status} applies, and why. */
  void flag(AwardStatus status, String reason) {
    statuses.add(status);
    reasons.add(reason);
  }

  /** No status short of the caps applies and there is something to pay. */
  boolean payable() {
    return statuses.isEmpty() && amount.isPositive();
  }

  /** Takes the outcome of 就高不重复 as this draft's amount, status and reason. */
  void settle(Duplicates.Settled settled) {
    amount = settled.amount();
    if (settled.covered()) {
      flag(AwardStatus.COVERED_ELSEWHERE, settled.reason());
    } else if (settled.reason() != null) {
      reasons.add(settled.reason());
    }
  }

  /** The status that wins: the first in {@link AwardStatus} order, else {@code AWARDED}. */
  AwardStatus status() {
    return statuses.isEmpty() ? AwardStatus.AWARDED : statuses.iterator().next();
  }

  /** What is paid: the amount when awarded or partial, else zero. */
  Money paid() {
    AwardStatus s = status();
    return s == AwardStatus.AWARDED || s == AwardStatus.PARTIAL ? amount : Money.ZERO;
  }
}
