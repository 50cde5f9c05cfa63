package dev.onboard.simulator;

import dev.onboard.simulator.mqtt.EmbeddedBroker;
import dev.onboard.simulator.mqtt.MqttFaults;
import dev.onboard.simulator.mqtt.SimulatedMqttFleet;
import dev.onboard.simulator.mqtt.sparkplug.SparkplugFaults;
import dev.onboard.simulator.mqtt.sparkplug.SparkplugFleet;
import dev.onboard.simulator.opcua.OpcUaFaults;
import dev.onboard.simulator.opcua.SimulatedOpcUaServer;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A running simulated factory: its OPC UA servers, the embedded MQTT broker (unless an external one
 * is named), the JSON MQTT devices and the Sparkplug B edge nodes. Faults are injected through
 * {@link #opcua(String)}, {@link #mqtt()} and {@link #sparkplug()}, or by name: {@link
 * #inject(String)} now, {@link #schedule(List)} for a scenario (see {@link Fault}).
 *
 * <p>Lifecycle: {@link #start()} starts the OPC UA servers (in parallel: each generates its RSA
 * key), then the broker, then the MQTT devices and edge nodes; {@link #close()} stops them in
 * reverse order (edge nodes with their own NDEATH). Both are idempotent. Thread-safety: start and
 * close are synchronized; the fault controls are thread-safe.
 */
public final class SimulatedFactory implements AutoCloseable {

  private final FactorySpec spec;
  private final Map<String, SimulatedOpcUaServer> servers = new LinkedHashMap<>();
  private final EmbeddedBroker broker;
  private SimulatedMqttFleet fleet;
  private SparkplugFleet sparkplug;
  private boolean started;

  /**
   * What one protocol does with the faults aimed at it: {@code check} throws
   * IllegalArgumentException, in words, if the fault cannot be applied.
   */
  private record FaultHandler(
      BiConsumer<String, List<String>> check, BiConsumer<String, List<String>> apply) {}

  private final Map<String, FaultHandler> faultHandlers = new LinkedHashMap<>();
  private final ScheduledExecutorService faultTimer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "simulator-faults");
            t.setDaemon(true);
            return t;
          });

  public SimulatedFactory(FactorySpec spec) {
    this.spec = spec;
    for (SimulatedOpcUaServerConfig c : spec.opcuaServers()) {
      servers.put(c.name(), new SimulatedOpcUaServer(c));
    }
    this.broker = new EmbeddedBroker(spec.mqttPort());
    OpcUaFaults opcuaFaults = new OpcUaFaults(List.copyOf(servers.values()), faultTimer);
    faultHandlers.put("opcua", new FaultHandler(opcuaFaults::check, opcuaFaults::apply));
    MqttFaults mqttFaults = new MqttFaults(spec.mqttDevices(), this::mqtt);
    faultHandlers.put(
        "mqtt",
        new FaultHandler(mqttFaults::fault, (t, words) -> mqttFaults.fault(t, words).run()));
    SparkplugFaults sparkplugFaults = new SparkplugFaults(spec.sparkplugNodes(), this::sparkplug);
    faultHandlers.put(
        "sparkplug",
        new FaultHandler(
            sparkplugFaults::fault, (t, words) -> sparkplugFaults.fault(t, words).run()));
  }

  public synchronized SimulatedFactory start() {
    if (started) {
      return this;
    }
    started = true;
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    servers.values().forEach(s -> starts.add(s.start()));
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
    if (spec.hasMqtt() && spec.mqttBroker() == null) {
      broker.start().join();
    }
    if (!spec.mqttDevices().isEmpty()) {
      fleet = new SimulatedMqttFleet(mqttUrl(), spec.mqttDevices(), spec.seed());
      fleet.start();
    }
    if (!spec.sparkplugNodes().isEmpty()) {
      sparkplug = new SparkplugFleet(mqttUrl(), spec.sparkplugNodes(), spec.seed());
      sparkplug.start();
    }
    return this;
  }

  /** Where the MQTT devices and edge nodes connect: the external broker, else the embedded one. */
  public String mqttUrl() {
    return spec.mqttBroker() != null ? spec.mqttBroker() : broker.url();
  }

  public FactorySpec spec() {
    return spec;
  }

  /** An OPC UA server by name, e.g. {@code plant-1}. */
  public SimulatedOpcUaServer opcua(String name) {
    SimulatedOpcUaServer s = servers.get(name);
    if (s == null) {
      throw new NoSuchElementException("no OPC UA server " + name + "; have " + servers.keySet());
    }
    return s;
  }

  public List<SimulatedOpcUaServer> opcuaServers() {
    return List.copyOf(servers.values());
  }

  public EmbeddedBroker broker() {
    return broker;
  }

  /** The MQTT devices; only after {@link #start()}. */
  public synchronized SimulatedMqttFleet mqtt() {
    if (fleet == null) {
      throw new IllegalStateException("the factory has no running MQTT devices");
    }
    return fleet;
  }

  /** The Sparkplug B edge nodes; only after {@link #start()}. */
  public synchronized SparkplugFleet sparkplug() {
    if (sparkplug == null) {
      throw new IllegalStateException("the factory has no running Sparkplug edge nodes");
    }
    return sparkplug;
  }

  /**
   * Applies a fault now, written as in a scenario without its time, e.g. {@code opcua
   * plant-1/CNC-0001 freeze}.
   *
   * @throws IllegalArgumentException if the protocol, target or fault is unknown
   */
  public void inject(String fault) {
    Fault f = Fault.parse("0s " + fault, "inject");
    handler(f).check().accept(f.target(), f.words());
    handler(f).apply().accept(f.target(), f.words());
  }

  /**
   * Checks every fault of a scenario without applying it; works before {@link #start()}, so a bad
   * scenario stops the simulator before anything connects.
   *
   * @throws IllegalArgumentException naming the line of the first fault that cannot apply
   */
  public void check(List<Fault> scenario) {
    for (Fault f : scenario) {
      try {
        handler(f).check().accept(f.target(), f.words());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(f.origin() + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Checks every fault of a scenario, then schedules each at its time from now. A fault that fails
   * when its time comes is logged; the rest still run.
   *
   * @throws IllegalArgumentException naming the line of the first fault that cannot apply
   */
  public void schedule(List<Fault> scenario) {
    check(scenario);
    for (Fault f : scenario) {
      faultTimer.schedule(
          () -> {
            try {
              handler(f).apply().accept(f.target(), f.words());
            } catch (RuntimeException e) {
              org.slf4j.LoggerFactory.getLogger(SimulatedFactory.class)
                  .warn("fault {} ({}) failed: {}", f.what(), f.origin(), e.toString());
            }
          },
          f.at().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private FaultHandler handler(Fault f) {
    FaultHandler h = faultHandlers.get(f.protocol());
    if (h == null) {
      throw new IllegalArgumentException(
          f.origin()
              + ": no faults for protocol '"
              + f.protocol()
              + "'; protocols with faults: "
              + faultHandlers.keySet());
    }
    return h;
  }

  @Override
  public synchronized void close() {
    faultTimer.shutdownNow();
    if (sparkplug != null) {
      sparkplug.close();
    }
    if (fleet != null) {
      fleet.close();
    }
    broker.close();
    List<SimulatedOpcUaServer> reverse = new ArrayList<>(servers.values());
    java.util.Collections.reverse(reverse);
    reverse.forEach(SimulatedOpcUaServer::close);
  }
}
