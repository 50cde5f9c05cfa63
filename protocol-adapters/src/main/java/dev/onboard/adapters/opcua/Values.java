package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.Quality;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/** Conversions from OPC UA values and StatusCodes to the SPI's types. Stateless. */
final class Values {

  private Values() {}

  /** Only Good counts as live; Uncertain is kept apart from Bad for the record. */
  static Quality quality(StatusCode status) {
    if (status == null || status.isGood()) {
      return Quality.GOOD;
    }
    return status.isUncertain() ? Quality.UNCERTAIN : Quality.BAD;
  }

  /**
   * The reading value for an OPC UA scalar: floating point as Double, integers as Long, Boolean,
   * anything else as its string form; arrays and structures are not signals and become strings.
   */
  static Object value(Object raw) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof Double d) {
      return d;
    }
    if (raw instanceof Float f) {
      return f.doubleValue();
    }
    if (raw instanceof Long
        || raw instanceof Integer
        || raw instanceof Short
        || raw instanceof Byte) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof UByte || raw instanceof UShort || raw instanceof UInteger) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof ULong u) {
      return u.longValue();
    }
    if (raw instanceof Boolean || raw instanceof String) {
      return raw;
    }
    return String.valueOf(raw);
  }

  /**
   * Bad codes that mean the device behind the server cannot be reached, as opposed to a bad
   * measurement from a reachable device.
   */
  static boolean meansUnreachable(StatusCode status) {
    if (status == null || !status.isBad()) {
      return false;
    }
    long code = status.getValue() & 0xFFFF0000L;
    return code == StatusCodes.Bad_NoCommunication
        || code == StatusCodes.Bad_NotConnected
        || code == StatusCodes.Bad_OutOfService
        || code == StatusCodes.Bad_CommunicationError
        || code == StatusCodes.Bad_DeviceFailure
        || code == StatusCodes.Bad_WaitingForInitialData;
  }

  /** The symbolic name of a StatusCode, e.g. {@code Bad_NoCommunication}. */
  static String name(StatusCode status) {
    if (status == null) {
      return "Good";
    }
    return StatusCodes.lookup(status.getValue())
        .map(n -> n[0])
        .orElse(String.format("0x%08X", status.getValue()));
  }
}
