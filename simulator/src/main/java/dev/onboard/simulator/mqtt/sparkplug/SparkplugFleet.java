package dev.onboard.simulator.mqtt.sparkplug;

import dev.onboard.simulator.mqtt.DeviceKind;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Any number of {@link SimulatedEdgeNode}s on one broker (embedded or external), each with its own
 * connection, driven by one small scheduler. Nodes are addressed by edge node id.
 *
 * <p>Lifecycle: {@link #start()} connects every node in list order; {@link #close()} stops them
 * cleanly (NDEATH, then DISCONNECT) in reverse order, then the scheduler. Both are idempotent.
 *
 * <p>Thread-safety: all methods are safe from any thread.
 */
public final class SparkplugFleet implements AutoCloseable {

  private final Map<String, SimulatedEdgeNode> nodes = new LinkedHashMap<>();
  private final ScheduledExecutorService scheduler;

  public SparkplugFleet(String brokerUrl, List<EdgeNodeSpec> specs, long seed) {
    this(brokerUrl, specs, seed, Clock.systemUTC());
  }

  /** As above, with the clock the nodes stamp their payloads with. */
  public SparkplugFleet(String brokerUrl, List<EdgeNodeSpec> specs, long seed, Clock clock) {
    int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    AtomicInteger n = new AtomicInteger();
    this.scheduler =
        Executors.newScheduledThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "sim-sparkplug-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    int i = 0;
    for (EdgeNodeSpec spec : specs) {
      if (nodes.containsKey(spec.edgeNode())) {
        throw new IllegalArgumentException("duplicate edge node " + spec.edgeNode());
      }
      nodes.put(
          spec.edgeNode(), new SimulatedEdgeNode(spec, brokerUrl, scheduler, clock, seed + i++));
    }
  }

  /**
   * {@code nodes} edge nodes named {@code <prefix>-01 …} in {@code group}, each with {@code
   * devicesPerNode} devices named {@code <node>-d01 …} taking {@code kinds} in turn (the first
   * device the first kind, and so on); serials {@code SN-<name>}.
   */
  public static List<EdgeNodeSpec> specs(
      String group,
      String prefix,
      int nodes,
      int devicesPerNode,
      Duration interval,
      DeviceKind... kinds) {
    if (kinds.length == 0) {
      throw new IllegalArgumentException("no device kinds");
    }
    List<EdgeNodeSpec> out = new ArrayList<>();
    for (int n = 1; n <= nodes; n++) {
      String node = String.format("%s-%02d", prefix, n);
      List<SparkplugDeviceSpec> devices = new ArrayList<>();
      for (int d = 1; d <= devicesPerNode; d++) {
        String name = String.format("%s-d%02d", node, d);
        devices.add(new SparkplugDeviceSpec(name, "SN-" + name, kinds[(d - 1) % kinds.length]));
      }
      out.add(new EdgeNodeSpec(group, node, "SN-" + node, interval, devices));
    }
    return out;
  }

  /** Connects every node that is not running; fails if one cannot connect. */
  public synchronized void start() {
    nodes.values().forEach(SimulatedEdgeNode::start);
  }

  public Collection<SimulatedEdgeNode> nodes() {
    return nodes.values();
  }

  public SimulatedEdgeNode node(String edgeNode) {
    SimulatedEdgeNode n = nodes.get(edgeNode);
    if (n == null) {
      throw new NoSuchElementException("no edge node " + edgeNode + "; have " + nodes.keySet());
    }
    return n;
  }

  /** Messages published by all nodes so far. */
  public long published() {
    return nodes.values().stream().mapToLong(SimulatedEdgeNode::published).sum();
  }

  @Override
  public synchronized void close() {
    List<SimulatedEdgeNode> reversed = new ArrayList<>(nodes.values());
    Collections.reverse(reversed);
    reversed.forEach(SimulatedEdgeNode::stop);
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
