package dev.onboard.meter.policy;

/**
 * 就高不重复 (P1 第十条, P5 (十三)): how an award treats what the same device or project already received
 * under another policy (POLICIES.md › CROSS-CUTTING, Parameter {@code duplicate}).
 */
public enum Duplicate {
  /** Default: top up to the highest, own award − received elsewhere, never below 0. */
  TOP_UP,
  /** Anything received elsewhere makes this award 0. */
  EXCLUSIVE
}
