package dev.onboard.adapters.mqtt.sparkplug;

/**
 * A payload that is not a well-formed Sparkplug B protobuf message (truncated, a varint longer than
 * ten bytes, a length past the end, a wire type that does not fit the field). Carries no stack
 * trace: it is an expected outcome of bad input, counted and dead-lettered by the adapter.
 */
public final class SparkplugFormatException extends Exception {

  public SparkplugFormatException(String detail) {
    super(detail, null, false, false);
  }
}
