package dev.onboard.meter.policy;

/**
 * A policy file that cannot be loaded: the message names the file, the line, the key and how to fix
 * it, e.g. {@code my-policy.yaml, line 4: overflow: "later" is not valid; use forfeit or
 * carry-over}.
 */
public final class PolicyFileException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A problem at {@code line} (1-based) of {@code file}; {@code line} ≤ 0 names no line. */
  public PolicyFileException(String file, int line, String reason) {
    super(file + (line > 0 ? ", line " + line : "") + ": " + reason);
  }
}
