package dev.onboard.meter.allocation;

/**
 * The status of one award row. When several apply, the first in declaration order wins (issue 3, P1
 * semantics); the row's reasons list all that applied.
 */
public enum AwardStatus {
  /** The enterprise fails an eligibility rule (P1: 穗埔府规〔2019〕9号 第二条). */
  INELIGIBLE_ENTERPRISE,
  /** Another device with the same identity was claimed first (VERIFICATION 1). */
  DUPLICATE_IDENTITY,
  /** Already paid by this policy: a device is onboarded once. */
  ALREADY_AWARDED,
  /** The observation window is not complete by the end of the as-of date. */
  PENDING,
  /** The window is complete and some verification rule fails. */
  NOT_VERIFIED,
  /** No cost evidence: 0, never a guess. */
  NO_COST,
  /** Already received at least as much under another policy (就高不重复). */
  COVERED_ELSEWHERE,
  /** The enterprise (or provider, or programme) cap left nothing for it. */
  CAPPED,
  /** The device that crossed a cap: it gets the remainder. */
  PARTIAL,
  /** Paid in full. */
  AWARDED
}
