package dev.onboard.meter.cli;

/** The command line itself is wrong (exit code 2): unknown option, missing value or argument. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
