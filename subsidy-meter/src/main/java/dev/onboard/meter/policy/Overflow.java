package dev.onboard.meter.policy;

/**
 * What happens to devices that an enterprise's annual cap leaves unpaid (POLICIES.md › P1,
 * Parameter {@code overflow}).
 */
public enum Overflow {
  /** Default: unpaid devices get 0 for good ("enterprise annual cap reached"). */
  FORFEIT,
  /** Unpaid devices join the next year's claim, still subject to that year's cap. */
  CARRY_OVER
}
