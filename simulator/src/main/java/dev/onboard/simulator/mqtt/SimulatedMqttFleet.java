package dev.onboard.simulator.mqtt;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Any number of {@link SimulatedMqttDevice}s on one broker (embedded or external), each with its
 * own connection, driven by one small scheduler. Devices are addressed by {@link
 * MqttDeviceSpec#name()}.
 *
 * <p>Lifecycle: {@link #start()} connects every device (in list order) and {@link #close()} stops
 * them cleanly in reverse order, then the scheduler. Both are idempotent.
 *
 * <p>Thread-safety: all methods are safe from any thread.
 */
public final class SimulatedMqttFleet implements AutoCloseable {

  private final Map<String, SimulatedMqttDevice> devices = new LinkedHashMap<>();
  private final ScheduledExecutorService scheduler;

  /**
   * @param brokerUrl e.g. {@code tcp://127.0.0.1:1883}
   * @param specs the devices; names must be unique
   * @param seed makes every device's signals reproducible
   */
  public SimulatedMqttFleet(String brokerUrl, List<MqttDeviceSpec> specs, long seed) {
    this(brokerUrl, specs, seed, Clock.systemUTC());
  }

  /** As above, with the clock the devices stamp their payloads with. */
  public SimulatedMqttFleet(String brokerUrl, List<MqttDeviceSpec> specs, long seed, Clock clock) {
    int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    this.scheduler = Executors.newScheduledThreadPool(threads, named("sim-mqtt-fleet"));
    int i = 0;
    for (MqttDeviceSpec spec : specs) {
      if (devices.containsKey(spec.name())) {
        throw new IllegalArgumentException("duplicate device name " + spec.name());
      }
      devices.put(
          spec.name(), new SimulatedMqttDevice(spec, brokerUrl, scheduler, clock, seed + i++));
    }
  }

  /**
   * {@code count} devices named {@code prefix-01 …} of one kind and enterprise, with serials {@code
   * SN-<name>}.
   */
  public static List<MqttDeviceSpec> specs(
      String enterprise, String prefix, int count, Duration interval, DeviceKind kind) {
    List<MqttDeviceSpec> out = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String name = String.format("%s-%02d", prefix, i);
      out.add(new MqttDeviceSpec(enterprise, name, "SN-" + name, interval, kind));
    }
    return out;
  }

  /** Connects every device that is not running; fails if one cannot connect. */
  public synchronized void start() {
    devices.values().forEach(SimulatedMqttDevice::start);
  }

  public Collection<SimulatedMqttDevice> devices() {
    return devices.values();
  }

  public SimulatedMqttDevice device(String name) {
    SimulatedMqttDevice d = devices.get(name);
    if (d == null) {
      throw new NoSuchElementException(
          "no simulated device " + name + "; have " + devices.keySet());
    }
    return d;
  }

  /** Clean stop: {@code offline}, then DISCONNECT (no Will). */
  public void stopDevice(String name) {
    device(name).stop();
  }

  /** Drops the TCP connection: the broker publishes the device's Will {@code offline}. */
  public void killDevice(String name) {
    device(name).kill();
  }

  public void startDevice(String name) {
    device(name).start();
  }

  /** Telemetry messages published by all devices so far. */
  public long published() {
    return devices.values().stream().mapToLong(SimulatedMqttDevice::published).sum();
  }

  @Override
  public synchronized void close() {
    List<SimulatedMqttDevice> reversed = new ArrayList<>(devices.values());
    java.util.Collections.reverse(reversed);
    reversed.forEach(SimulatedMqttDevice::stop);
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
