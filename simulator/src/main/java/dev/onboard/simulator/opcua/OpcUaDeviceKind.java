package dev.onboard.simulator.opcua;

import java.util.List;

/**
 * The kinds of equipment the simulator can play, each with the signals such a machine exposes.
 * Immutable and thread-safe.
 */
public enum OpcUaDeviceKind {
  CNC(
      "CNC",
      "Guangzhou Numerical",
      "GSK 980TDi",
      List.of(
          new Signal("SpindleSpeed", 8_000, 1_500, 60, 40, 0),
          new Signal("SpindleLoad", 45, 20, 45, 2, 0),
          new Signal("FeedRate", 1_200, 300, 30, 15, 0),
          new Signal("AxisTemperature", 38, 4, 600, 0.2, 0.0005),
          new Signal("PowerKw", 11, 4, 60, 0.3, 0))),
  INJECTION_MOULDING(
      "IMM",
      "Haitian",
      "MA2500/1000",
      List.of(
          new Signal("InjectionPressure", 1_100, 250, 25, 10, 0),
          new Signal("MeltTemperature", 230, 6, 300, 0.5, 0.0002),
          new Signal("CycleTime", 28, 2, 120, 0.2, 0),
          new Signal("ClampForce", 1_500, 100, 25, 5, 0),
          new Signal("PowerKw", 35, 10, 25, 0.8, 0))),
  AIR_COMPRESSOR(
      "AC",
      "Kaishan",
      "LGCY-22/8",
      List.of(
          new Signal("DischargePressure", 7.5, 0.6, 90, 0.05, 0),
          new Signal("MotorCurrent", 60, 12, 90, 1, 0),
          new Signal("OilTemperature", 75, 5, 900, 0.2, 0.0003),
          new Signal("FlowRate", 12, 3, 90, 0.2, 0),
          new Signal("PowerKw", 37, 8, 90, 0.5, 0))),
  ENERGY_METER(
      "EM",
      "Acrel",
      "DTSD1352",
      List.of(
          new Signal("ActivePowerKw", 120, 40, 300, 2, 0),
          new Signal("VoltageL1", 230, 3, 50, 0.5, 0),
          new Signal("CurrentL1", 170, 50, 300, 3, 0),
          new Signal("PowerFactor", 0.93, 0.03, 200, 0.005, 0),
          new Signal("EnergyKwh", 10_000, 0, 1, 0, 0.033)));

  private final String prefix;
  private final String manufacturer;
  private final String model;
  private final List<Signal> signals;

  OpcUaDeviceKind(String prefix, String manufacturer, String model, List<Signal> signals) {
    this.prefix = prefix;
    this.manufacturer = manufacturer;
    this.model = model;
    this.signals = signals;
  }

  /** A short prefix for device names and serials, e.g. {@code IMM}. */
  public String prefix() {
    return prefix;
  }

  /** A plausible manufacturer of this kind of equipment, for generated nameplates. */
  public String manufacturer() {
    return manufacturer;
  }

  /** A plausible model of this kind of equipment, for generated nameplates. */
  public String model() {
    return model;
  }

  /** The name on the command line: {@code cnc}, {@code injection-moulding}, ... */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Parses {@link #configName()} (or the prefix, e.g. {@code imm}), ignoring case. */
  public static OpcUaDeviceKind parse(String text) {
    String t = text.trim();
    for (OpcUaDeviceKind k : values()) {
      if (k.configName().equalsIgnoreCase(t) || k.prefix.equalsIgnoreCase(t)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown device kind '"
            + text
            + "'; use one of "
            + java.util.Arrays.stream(values()).map(OpcUaDeviceKind::configName).toList());
  }

  /** The signals every device of this kind has, in browse order. */
  public List<Signal> signals() {
    return signals;
  }

  /**
   * How one signal moves: {@code base + amplitude * sin(2πt / period) + noise + drift * t}, with t
   * in seconds since the device started. A drift with zero amplitude is a counter (e.g. energy).
   *
   * @param name the variable's browse name
   * @param base the value around which it moves, in the signal's unit
   * @param amplitude half the swing of the slow wave, same unit
   * @param periodSeconds the period of the slow wave
   * @param noise the standard deviation of the Gaussian noise added to each sample, same unit
   * @param driftPerSecond how much the value creeps per second, same unit
   */
  public record Signal(
      String name,
      double base,
      double amplitude,
      double periodSeconds,
      double noise,
      double driftPerSecond) {}
}
