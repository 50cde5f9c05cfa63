package dev.onboard.gateway.report;

/** A report cannot be built: the message says why and what to do, in one line. */
public final class ReportException extends Exception {
  public ReportException(String message) {
    super(message);
  }

  public ReportException(String message, Throwable cause) {
    super(message, cause);
  }
}
