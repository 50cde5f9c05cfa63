package dev.onboard.simulator;

import dev.onboard.simulator.mqtt.EmbeddedBroker;
import dev.onboard.simulator.mqtt.SimulatedMqttFleet;
import dev.onboard.simulator.opcua.SimulatedOpcUaServer;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * A running simulated factory: its OPC UA servers, the embedded MQTT broker and the MQTT devices.
 * Faults are injected through {@link #opcua(String)} and {@link #mqtt()}.
 *
 * <p>Lifecycle: {@link #start()} starts the OPC UA servers (in parallel: each generates its RSA
 * key), then the broker, then the MQTT devices; {@link #close()} stops them in reverse order. Both
 * are idempotent. Thread-safety: start and close are synchronized; the fault controls are
 * thread-safe.
 */
public final class SimulatedFactory implements AutoCloseable {

  private final FactorySpec spec;
  private final Map<String, SimulatedOpcUaServer> servers = new LinkedHashMap<>();
  private final EmbeddedBroker broker;
  private SimulatedMqttFleet fleet;
  private boolean started;

  public SimulatedFactory(FactorySpec spec) {
    this.spec = spec;
    for (SimulatedOpcUaServerConfig c : spec.opcuaServers()) {
      servers.put(c.name(), new SimulatedOpcUaServer(c));
    }
    this.broker = new EmbeddedBroker(spec.mqttPort());
  }

  public synchronized SimulatedFactory start() {
    if (started) {
      return this;
    }
    started = true;
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    servers.values().forEach(s -> starts.add(s.start()));
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
    if (!spec.mqttDevices().isEmpty()) {
      broker.start().join();
      fleet = new SimulatedMqttFleet(broker.url(), spec.mqttDevices(), spec.seed());
      fleet.start();
    }
    return this;
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

  @Override
  public synchronized void close() {
    if (fleet != null) {
      fleet.close();
    }
    broker.close();
    List<SimulatedOpcUaServer> reverse = new ArrayList<>(servers.values());
    java.util.Collections.reverse(reverse);
    reverse.forEach(SimulatedOpcUaServer::close);
  }
}
