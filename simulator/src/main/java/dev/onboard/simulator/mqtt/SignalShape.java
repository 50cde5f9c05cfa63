package dev.onboard.simulator.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How one signal moves: {@code level + swing·sin(2π·t/period + phase) + drift·t + noise}, so values
 * look like a real process (a slow cycle, wear drift, sensor noise) and never repeat exactly.
 * Immutable.
 *
 * @param name the value's name in the payload
 * @param level the mean value, in the signal's engineering unit
 * @param swing amplitude of the cycle, same unit
 * @param periodSeconds length of one cycle, in seconds
 * @param noise standard deviation of the Gaussian noise, same unit
 * @param driftPerSecond slow drift, unit per second since the device started
 */
public record SignalShape(
    String name,
    double level,
    double swing,
    double periodSeconds,
    double noise,
    double driftPerSecond) {

  /** The value at {@code seconds} since start, with noise and phase from {@code random}. */
  public double valueAt(double seconds, double phase, Random random) {
    double cycle = swing * Math.sin(2 * Math.PI * seconds / periodSeconds + phase);
    return level + cycle + driftPerSecond * seconds + noise * random.nextGaussian();
  }

  static List<SignalShape> many(String prefix, int count) {
    List<SignalShape> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new SignalShape(prefix + i, 10.0 * (i + 1), 2.0, 20 + i, 0.1, 0.0));
    }
    return List.copyOf(out);
  }
}
