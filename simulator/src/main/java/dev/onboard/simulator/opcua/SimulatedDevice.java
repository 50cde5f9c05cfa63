package dev.onboard.simulator.opcua;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * One device's signals, nameplate and faults. The faults and the nameplate survive a server
 * restart; the variable nodes and monitored items are bound again on every start.
 *
 * <p>Values are reported by exception: every update is handed to the monitored items watching the
 * signal at once (an item sampling slower than the device gets every n-th update, n = its sampling
 * interval ÷ the device's update interval). So a client sampling at the device's rate receives
 * every value the device produced, and tests can count them.
 *
 * <p>Thread-safety: fault setters may be called from any thread; {@link #tick} runs on one of the
 * server's update threads at a time; item registration and pushing values share this object's lock,
 * so an item's first value is never newer than its next.
 */
final class SimulatedDevice {

  static final StatusCode NO_COMMUNICATION = new StatusCode(StatusCodes.Bad_NoCommunication);
  static final StatusCode SENSOR_FAILURE = new StatusCode(StatusCodes.Bad_SensorFailure);

  /** A monitored item on one signal, fed every {@code every}-th update. */
  private static final class Subscriber {
    final DataItem item;
    int every;
    int countdown;

    Subscriber(DataItem item, int every) {
      this.item = item;
      this.every = every;
    }
  }

  private final OpcUaDeviceSpec spec;
  private final List<OpcUaDeviceKind.Signal> signals;
  private final double[] phases;
  private final SplittableRandom random;
  private final Instant born;
  private final LongAdder pushed;

  private volatile boolean stopped;
  private volatile boolean frozen;
  private volatile StatusCode status = StatusCode.GOOD;
  private volatile Duration skew = Duration.ZERO;
  private volatile Nameplate nameplate;

  // Guarded by this.
  private DataValue[] last;
  private List<UaVariableNode> nodes = List.of();
  private List<List<Subscriber>> subscribers = List.of();
  private boolean reportedNoCommunication;

  /** The DI nameplate a device shows; ProductInstanceUri follows from the other three. */
  record Nameplate(String manufacturer, String serialNumber, String model) {
    String productInstanceUri() {
      return OpcUaDeviceSpec.productInstanceUri(manufacturer, model, serialNumber);
    }
  }

  SimulatedDevice(OpcUaDeviceSpec spec, Instant born, LongAdder pushed) {
    this.spec = spec;
    this.born = born;
    this.pushed = pushed;
    this.nameplate = new Nameplate(spec.manufacturer(), spec.serialNumber(), spec.model());
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
    this.last = new DataValue[signals.size()];
  }

  OpcUaDeviceSpec spec() {
    return spec;
  }

  List<OpcUaDeviceKind.Signal> signals() {
    return signals;
  }

  Nameplate nameplate() {
    return nameplate;
  }

  /**
   * Binds the signal nodes of a (re)started server and forgets the previous server's items. The
   * nodes start with the device's last values (a restarted server still shows what the device last
   * measured), or a first sample if it has none yet.
   */
  synchronized void bind(List<UaVariableNode> signalNodes, Instant now) {
    nodes = List.copyOf(signalNodes);
    double t = Duration.between(born, now).toMillis() / 1000.0;
    DateTime time = new DateTime(now);
    for (int i = 0; i < nodes.size(); i++) {
      if (last[i] == null) {
        last[i] = new DataValue(new Variant(value(i, t)), status, time, time);
      }
      nodes.get(i).setValue(last[i]);
    }
    List<List<Subscriber>> lists = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      lists.add(new ArrayList<>(1));
    }
    subscribers = lists;
    reportedNoCommunication = false;
  }

  /** A client started monitoring signal {@code index}: it gets the current value first. */
  synchronized void addItem(int index, DataItem item) {
    Subscriber s = new Subscriber(item, every(item));
    subscribers.get(index).add(s);
    item.setValue(nodes.get(index).getValue());
    pushed.increment();
  }

  synchronized void modifyItem(int index, DataItem item) {
    for (Subscriber s : subscribers.get(index)) {
      if (s.item == item) {
        s.every = every(item);
      }
    }
  }

  synchronized void removeItem(int index, DataItem item) {
    subscribers.get(index).removeIf(s -> s.item == item);
  }

  void setStopped(boolean value) {
    stopped = value;
  }

  void setFrozen(boolean value) {
    frozen = value;
  }

  /** The StatusCode every value carries from now on; Good by default. */
  void setStatus(StatusCode value) {
    status = value;
  }

  void setSkew(Duration value) {
    skew = value;
  }

  void setNameplate(Nameplate value) {
    nameplate = value;
  }

  /** Computes and publishes one sample of every signal, as the device's faults allow. */
  synchronized void tick(Instant now) {
    if (frozen) {
      return;
    }
    DateTime serverTime = new DateTime(now);
    DateTime sourceTime = skew.isZero() ? serverTime : new DateTime(now.plus(skew));
    if (stopped) {
      // A PLC gateway whose device dropped keeps the nodes but reports that it cannot reach it.
      if (!reportedNoCommunication) {
        reportedNoCommunication = true;
        DataValue bad = new DataValue(Variant.NULL_VALUE, NO_COMMUNICATION, sourceTime, serverTime);
        for (int i = 0; i < nodes.size(); i++) {
          publish(i, bad);
        }
      }
      return;
    }
    reportedNoCommunication = false;
    double t = Duration.between(born, now).toMillis() / 1000.0;
    StatusCode code = status;
    for (int i = 0; i < nodes.size() && i < signals.size(); i++) {
      publish(i, new DataValue(new Variant(value(i, t)), code, sourceTime, serverTime));
    }
  }

  private void publish(int index, DataValue value) {
    last[index] = value;
    nodes.get(index).setValue(value);
    List<Subscriber> list = subscribers.get(index);
    for (int j = 0; j < list.size(); j++) {
      Subscriber s = list.get(j);
      if (!s.item.isSamplingEnabled()) {
        continue;
      }
      if (--s.countdown <= 0) {
        s.countdown = s.every;
        s.item.setValue(value);
        pushed.increment();
      }
    }
  }

  private int every(DataItem item) {
    double sampling = item.getSamplingInterval();
    long update = spec.updateInterval().toMillis();
    return (int) Math.max(1, Math.round(sampling / update));
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
