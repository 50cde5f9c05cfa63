package dev.onboard.simulator.mqtt;

import java.util.List;

/**
 * What a simulated device measures: its signals with their typical level, swing and period.
 * Immutable.
 */
public enum DeviceKind {
  PRESS(
      List.of(
          new SignalShape("temperature", 45.0, 6.0, 120, 0.3, 0.002),
          new SignalShape("pressure", 1.02, 0.15, 30, 0.01, 0.0),
          new SignalShape("force", 820.0, 90.0, 12, 8.0, 0.0))),
  CNC(
      List.of(
          new SignalShape("spindleSpeed", 12000.0, 1500.0, 40, 40.0, 0.0),
          new SignalShape("temperature", 38.0, 4.0, 200, 0.2, 0.004),
          new SignalShape("vibration", 2.1, 0.6, 7, 0.08, 0.0))),
  METER(
      List.of(
          new SignalShape("power", 15.5, 3.0, 300, 0.2, 0.0),
          new SignalShape("voltage", 230.0, 2.0, 60, 0.4, 0.0),
          new SignalShape("current", 22.0, 4.0, 300, 0.3, 0.0))),
  /** Ten signals per message, for benchmarks: 10 values = 10 samples per message. */
  BENCH(SignalShape.many("s", 10));

  private final List<SignalShape> signals;

  DeviceKind(List<SignalShape> signals) {
    this.signals = signals;
  }

  public List<SignalShape> signals() {
    return signals;
  }
}
