package dev.onboard.simulator.opcua;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * One device's signals and faults. The faults survive a server restart; the variable nodes are
 * re-bound on every start.
 *
 * <p>Thread-safety: fault setters may be called from any thread; {@link #tick} runs on the server's
 * update thread only.
 */
final class SimulatedDevice {

  static final StatusCode NO_COMMUNICATION = new StatusCode(StatusCodes.Bad_NoCommunication);
  static final StatusCode SENSOR_FAILURE = new StatusCode(StatusCodes.Bad_SensorFailure);

  private final OpcUaDeviceSpec spec;
  private final List<OpcUaDeviceKind.Signal> signals;
  private final double[] phases;
  private final SplittableRandom random;
  private final Instant born;

  private volatile boolean stopped;
  private volatile boolean frozen;
  private volatile boolean badQuality;
  private volatile Duration skew = Duration.ZERO;
  private volatile String serialNumber;

  private volatile List<UaVariableNode> nodes = List.of();

  SimulatedDevice(OpcUaDeviceSpec spec, Instant born) {
    this.spec = spec;
    this.born = born;
    this.serialNumber = spec.serialNumber();
    List<OpcUaDeviceKind.Signal> all = new ArrayList<>(spec.kind().signals());
    for (int i = 1; i <= spec.extraSignals(); i++) {
      all.add(new OpcUaDeviceKind.Signal(String.format("Aux%02d", i), 50, 10, 20 + i, 1, 0));
    }
    this.signals = List.copyOf(all);
    // Seeded by name: the same device moves the same way in every run, different devices differ.
    this.random = new SplittableRandom(spec.name().hashCode());
    this.phases = new double[signals.size()];
    for (int i = 0; i < phases.length; i++) {
      phases[i] = random.nextDouble() * 2 * Math.PI;
    }
  }

  OpcUaDeviceSpec spec() {
    return spec;
  }

  List<OpcUaDeviceKind.Signal> signals() {
    return signals;
  }

  String serialNumber() {
    return serialNumber;
  }

  void bind(List<UaVariableNode> signalNodes) {
    this.nodes = List.copyOf(signalNodes);
  }

  void setStopped(boolean value) {
    stopped = value;
  }

  void setFrozen(boolean value) {
    frozen = value;
  }

  void setBadQuality(boolean value) {
    badQuality = value;
  }

  void setSkew(Duration value) {
    skew = value;
  }

  void setSerialNumber(String value) {
    serialNumber = value;
  }

  /** Computes and publishes one sample of every signal, as the device's faults allow. */
  void tick(Instant now) {
    List<UaVariableNode> bound = nodes;
    if (frozen) {
      return;
    }
    DateTime sourceTime = new DateTime(now.plus(skew));
    if (stopped) {
      // A PLC gateway whose device dropped keeps the nodes but reports that it cannot reach it.
      for (UaVariableNode node : bound) {
        if (!NO_COMMUNICATION.equals(node.getValue().getStatusCode())) {
          node.setValue(new DataValue(Variant.NULL_VALUE, NO_COMMUNICATION, sourceTime));
        }
      }
      return;
    }
    double t = Duration.between(born, now).toMillis() / 1000.0;
    StatusCode status = badQuality ? SENSOR_FAILURE : StatusCode.GOOD;
    for (int i = 0; i < bound.size() && i < signals.size(); i++) {
      double v = value(i, t);
      bound.get(i).setValue(new DataValue(new Variant(v), status, sourceTime));
    }
  }

  double value(int i, double seconds) {
    OpcUaDeviceKind.Signal s = signals.get(i);
    double wave = s.amplitude() * Math.sin(2 * Math.PI * seconds / s.periodSeconds() + phases[i]);
    double noise = s.noise() * gaussian();
    return s.base() + wave + noise + s.driftPerSecond() * seconds;
  }

  private double gaussian() {
    // Box-Muller on the device's own seeded generator.
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
