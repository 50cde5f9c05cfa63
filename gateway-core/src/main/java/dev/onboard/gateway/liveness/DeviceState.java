package dev.onboard.gateway.liveness;

/** Whether a device is live on the platform right now. */
public enum DeviceState {
  /** Never heard from since the gateway started. */
  UNKNOWN,
  /** Good data, a birth or a keep-alive arrived within the device's {@code staleAfter}. */
  ONLINE,
  /** Silent for longer than {@code staleAfter} but not yet {@code offlineAfter}. */
  STALE,
  /** Silent for longer than {@code offlineAfter}, or its connection, session or server is down. */
  OFFLINE
}
