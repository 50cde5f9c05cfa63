package dev.onboard.simulator.mqtt.sparkplug;

import dev.onboard.simulator.Fault;
import dev.onboard.simulator.mqtt.sparkplug.SimulatedEdgeNode.Malformation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sparkplug B faults by name (protocol {@code sparkplug}), for the command line and scenario files.
 * A fault names an edge node, one of its devices, or all of them:
 *
 * <pre>
 * edge-01              kill            drop the TCP connection: the broker publishes the NDEATH Will
 *                      disconnect      DISCONNECT without NDEATH: only silence
 *                      stop            its own NDEATH, then DISCONNECT
 *                      start           connect again: the next bdSeq, NBIRTH and DBIRTHs
 *                      rebirth         NBIRTH and DBIRTHs again
 *                      skip-seq [N]    the next message's seq is N (1) too far on: a gap
 *                      replay [BACK]   a DDATA sent BACK DDATA ago (default the oldest of 256
 *                                      kept) again, with its old seq and old timestamp
 *                      stale-death     an NDEATH with the previous bdSeq: a late Will
 *                      skew [-]DURATION  its timestamps off by this much from now on
 *                      freeze | thaw   its devices repeat the same values, or not
 *                      malformed [KIND]  one bad NDATA (KIND below)
 * edge-01/edge-01-d01  malformed [KIND]  one bad DDATA: not-protobuf (default), oversize,
 *                                      unknown-alias, wrong-type, no-seq
 *                      serial TEXT     report this serial, then rebirth
 *                      same-serial-as DEVICE  report another device's serial, then rebirth
 *                      historical [N]  N (5) is_historical values per signal, a minute apart
 *                      ddeath          a DDEATH; the device is silent until the node's next birth
 * edge-01/*            a device fault on every device of the node
 * </pre>
 *
 * <p>Thread-safety: {@link #fault} is pure; the action it returns may run on any thread (the nodes'
 * controls are thread-safe).
 */
public final class SparkplugFaults {

  private static final Logger log = LoggerFactory.getLogger(SparkplugFaults.class);

  /** A fault word: whether it targets devices, and how many arguments it takes. */
  private record Verb(boolean onDevice, int minArgs, int maxArgs) {}

  private static final Map<String, Verb> VERBS = new LinkedHashMap<>();

  static {
    for (String v : List.of("kill", "disconnect", "stop", "start", "rebirth", "stale-death")) {
      VERBS.put(v, new Verb(false, 0, 0));
    }
    VERBS.put("skip-seq", new Verb(false, 0, 1));
    VERBS.put("replay", new Verb(false, 0, 1));
    VERBS.put("skew", new Verb(false, 1, 1));
    VERBS.put("freeze", new Verb(false, 0, 0));
    VERBS.put("thaw", new Verb(false, 0, 0));
    VERBS.put("serial", new Verb(true, 1, 1));
    VERBS.put("same-serial-as", new Verb(true, 1, 1));
    VERBS.put("historical", new Verb(true, 0, 1));
    VERBS.put("ddeath", new Verb(true, 0, 0));
    // malformed works on both: NDATA on a node, DDATA on a device.
    VERBS.put("malformed", new Verb(false, 0, 1));
  }

  private final Map<String, EdgeNodeSpec> nodes = new LinkedHashMap<>();
  private final Supplier<SparkplugFleet> fleet;

  /**
   * @param nodes the edge nodes faults may target
   * @param fleet the running nodes; asked only when a fault is applied
   */
  public SparkplugFaults(List<EdgeNodeSpec> nodes, Supplier<SparkplugFleet> fleet) {
    nodes.forEach(n -> this.nodes.put(n.edgeNode(), n));
    this.fleet = fleet;
  }

  /**
   * Reads a fault: the node, device, fault and arguments are checked now (so a scenario fails when
   * it is loaded, not hours later), and the fault applies when the returned action runs.
   *
   * @param target {@code node}, {@code node/device} or {@code node/*}
   * @param words the fault and its arguments, e.g. {@code [skip-seq, 3]}
   * @throws IllegalArgumentException saying what is wrong and what is allowed
   */
  public Runnable fault(String target, List<String> words) {
    Target t = resolve(target, words);
    List<String> args = words.subList(1, words.size());
    return () -> {
      log.info("fault: sparkplug {} {}", target, String.join(" ", words));
      SimulatedEdgeNode node = fleet.get().node(t.node());
      if (t.devices().isEmpty()) {
        applyToNode(node, t.verb(), args);
      }
      t.devices().forEach(device -> applyToDevice(node, device, t.verb(), args));
    };
  }

  private void applyToDevice(
      SimulatedEdgeNode node, String device, String verb, List<String> args) {
    switch (verb) {
      case "malformed" -> node.publishMalformed(device, malformation(args));
      case "serial" -> {
        node.reportSerial(device, args.get(0));
        node.rebirth();
      }
      case "same-serial-as" -> {
        String other = args.get(0);
        node.reportSerial(device, fleet.get().node(nodeOf(other)).serialOf(other));
        node.rebirth();
      }
      case "ddeath" -> node.deviceDeath(device);
      case "historical" ->
          node.publishHistorical(
              device, args.isEmpty() ? 5 : count(args.get(0)), Duration.ofMinutes(1));
      default -> throw new IllegalStateException(verb);
    }
  }

  private static void applyToNode(SimulatedEdgeNode node, String verb, List<String> args) {
    switch (verb) {
      case "kill" -> node.kill();
      case "disconnect" -> node.disconnectQuietly();
      case "stop" -> node.stop();
      case "start" -> node.start();
      case "rebirth" -> node.rebirth();
      case "stale-death" -> node.publishStaleDeath();
      case "skip-seq" -> node.skipSeq(args.isEmpty() ? 1 : count(args.get(0)));
      case "replay" -> {
        if (args.isEmpty()) {
          node.replayOldData();
        } else {
          node.replayData(count(args.get(0)));
        }
      }
      case "skew" -> node.skew(Fault.signedDuration(args.get(0), "skew"));
      case "freeze" -> node.freeze(true);
      case "thaw" -> node.freeze(false);
      case "malformed" -> node.publishMalformed(null, malformation(args));
      default -> throw new IllegalStateException(verb);
    }
  }

  private record Target(String node, List<String> devices, String verb) {}

  private Target resolve(String target, List<String> words) {
    String[] path = target.split("/", 2);
    String nodeName = path[0];
    int slash = path.length == 1 ? -1 : nodeName.length();
    EdgeNodeSpec node =
        Optional.ofNullable(nodes.get(nodeName))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no Sparkplug edge node '"
                            + nodeName
                            + "'; edge nodes: "
                            + shortList(nodes.keySet())));
    String verb = words.isEmpty() ? "" : words.get(0).toLowerCase(Locale.ROOT);
    Verb v = VERBS.get(verb);
    List<String> devices = new ArrayList<>();
    if (slash >= 0) {
      String device = path[1];
      List<String> names = node.devices().stream().map(SparkplugDeviceSpec::name).toList();
      if (device.equals("*")) {
        devices.addAll(names);
      } else if (names.contains(device)) {
        devices.add(device);
      } else {
        throw new IllegalArgumentException(
            "no device '" + device + "' on edge node " + nodeName + "; devices: " + names);
      }
    }
    boolean deviceVerb = v != null && (v.onDevice() || verb.equals("malformed"));
    boolean nodeVerb = v != null && !v.onDevice();
    if (v == null || (slash >= 0 ? !deviceVerb : !nodeVerb)) {
      throw new IllegalArgumentException(
          "unknown "
              + (slash < 0 ? "edge node" : "device")
              + " fault '"
              + verb
              + "'; use one of "
              + VERBS.entrySet().stream()
                  .filter(
                      e ->
                          slash < 0
                              ? !e.getValue().onDevice()
                              : e.getValue().onDevice() || e.getKey().equals("malformed"))
                  .map(Map.Entry::getKey)
                  .toList()
              + (slash < 0 ? " (device faults need node/device)" : ""));
    }
    List<String> args = words.subList(1, words.size());
    if (args.size() < v.minArgs() || args.size() > v.maxArgs()) {
      throw new IllegalArgumentException(
          "fault '"
              + verb
              + "' takes "
              + (v.minArgs() == v.maxArgs() ? v.minArgs() : "at most " + v.maxArgs())
              + " argument(s), got "
              + args);
    }
    // Check the arguments' form now, so a scenario fails when it is loaded, not hours later.
    switch (verb) {
      case "skip-seq", "replay", "historical" -> args.forEach(SparkplugFaults::count);
      case "skew" -> Fault.signedDuration(args.get(0), "skew");
      case "malformed" -> malformation(args);
      case "same-serial-as" -> nodeOf(args.get(0));
      default -> {
        // no arguments to check
      }
    }
    return new Target(nodeName, devices, verb);
  }

  /** The edge node that has this device. */
  private String nodeOf(String device) {
    for (EdgeNodeSpec n : nodes.values()) {
      if (n.devices().stream().anyMatch(d -> d.name().equals(device))) {
        return n.edgeNode();
      }
    }
    throw new IllegalArgumentException(
        "no Sparkplug device '" + device + "' to copy the serial of");
  }

  private static Malformation malformation(List<String> args) {
    return args.isEmpty() ? Malformation.NOT_PROTOBUF : Malformation.parse(args.get(0));
  }

  private static int count(String text) {
    int n = text.matches("[0-9]{1,3}") ? Integer.parseInt(text) : 0;
    if (n < 1 || n > 255) {
      throw new IllegalArgumentException("'" + text + "' is not a count from 1 to 255");
    }
    return n;
  }

  private static String shortList(java.util.Collection<String> names) {
    List<String> all = List.copyOf(names);
    return all.size() <= 10
        ? all.toString()
        : all.subList(0, 10) + " and " + (all.size() - 10) + " more";
  }
}
