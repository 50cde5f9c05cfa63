package dev.onboard.adapters.mqtt;

/** A message the adapter cannot use, with the reason as a short code and in words. */
final class MalformedPayloadException extends Exception {

  /** Why a payload was refused; the code is counted per device and written to the dead letters. */
  enum Reason {
    NOT_JSON,
    NOT_AN_OBJECT,
    MISSING_FIELD,
    WRONG_TYPE,
    BAD_TIMESTAMP,
    OVERSIZE,
    BAD_PROTOBUF,
    /** A Sparkplug DATA metric refers to an alias its birth did not declare. */
    UNKNOWN_ALIAS,
    /** An old message again: a timestamp older than one already accepted, or a handled seq. */
    REPLAYED
  }

  private final Reason reason;

  MalformedPayloadException(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }
}
