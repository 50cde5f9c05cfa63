package dev.onboard.adapters.mqtt;

/** Turns Paho's exceptions into one line a person can act on. Stateless. */
final class PahoErrors {

  private PahoErrors() {}

  static String describe(String message, int reasonCode, Throwable cause) {
    StringBuilder s = new StringBuilder();
    s.append(message == null ? "error" : message);
    s.append(" (code ").append(reasonCode).append(')');
    if (cause != null && cause.getMessage() != null) {
      s.append(": ")
          .append(cause.getClass().getSimpleName())
          .append(' ')
          .append(cause.getMessage());
    }
    return s.toString();
  }
}
