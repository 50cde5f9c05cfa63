package dev.onboard.meter.csv;

/**
 * A malformed input: names the file, the line (1 = header) and the reason, e.g. {@code devices.csv,
 * line 3: onboarding_cost_yuan "-5.00" is negative}. The run stops and writes nothing.
 */
public final class InputException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A problem on {@code line} of {@code file}. */
  public InputException(String file, long line, String reason) {
    super(file + ", line " + line + ": " + reason);
  }

  /** A problem with a whole file (unreadable, missing). */
  public InputException(String file, String reason) {
    super(file + ": " + reason);
  }
}
