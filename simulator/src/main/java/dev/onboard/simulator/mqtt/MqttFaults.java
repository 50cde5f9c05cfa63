package dev.onboard.simulator.mqtt;

import dev.onboard.simulator.Fault;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults of the JSON MQTT devices by name (protocol {@code mqtt}), for the command line and
 * scenario files. The target is a device name, e.g. {@code press-01}, or {@code *} for every
 * device:
 *
 * <pre>
 * kill                the TCP connection drops: the broker publishes its Will, a retained offline
 * stop                a retained offline, then DISCONNECT (no Will)
 * disconnect          DISCONNECT only: no status, no Will, just silence
 * start               connect again and announce online
 * freeze | thaw       the same values again and again, or not
 * skew [-]DURATION    its timestamps off by this much from now on
 * serial TEXT         report this serial from now on
 * same-serial-as DEV  report another device's serial from now on
 * malformed [KIND]    one bad payload: not-json (default), missing-field, wrong-type, oversize
 * replay              the oldest of its last 32 payloads again: an old timestamp
 * </pre>
 *
 * <p>Thread-safety: {@link #fault} is pure; the action it returns may run on any thread (the
 * devices' controls are thread-safe).
 */
public final class MqttFaults {

  private static final Logger log = LoggerFactory.getLogger(MqttFaults.class);
  // Just over the gateway's default maxPayloadBytes (256 KiB).
  private static final int OVERSIZE_BYTES = 257 * 1024;
  private static final List<String> MALFORMED =
      List.of("not-json", "missing-field", "wrong-type", "oversize");

  /** Each fault word with its least and most arguments. */
  private static final Map<String, int[]> ARITY =
      Map.ofEntries(
          Map.entry("kill", new int[] {0, 0}),
          Map.entry("stop", new int[] {0, 0}),
          Map.entry("disconnect", new int[] {0, 0}),
          Map.entry("start", new int[] {0, 0}),
          Map.entry("freeze", new int[] {0, 0}),
          Map.entry("thaw", new int[] {0, 0}),
          Map.entry("replay", new int[] {0, 0}),
          Map.entry("skew", new int[] {1, 1}),
          Map.entry("serial", new int[] {1, 1}),
          Map.entry("same-serial-as", new int[] {1, 1}),
          Map.entry("malformed", new int[] {0, 1}));

  private final List<String> names;
  private final Supplier<SimulatedMqttFleet> fleet;

  /**
   * @param devices the devices faults may target
   * @param fleet the running devices; asked only when a fault is applied
   */
  public MqttFaults(List<MqttDeviceSpec> devices, Supplier<SimulatedMqttFleet> fleet) {
    this.names = devices.stream().map(MqttDeviceSpec::name).toList();
    this.fleet = fleet;
  }

  /**
   * Reads a fault: target, fault and arguments are checked now, and it applies when the returned
   * action runs.
   *
   * @throws IllegalArgumentException saying what is wrong and what is allowed
   */
  public Runnable fault(String target, List<String> words) {
    if (!target.equals("*") && !names.contains(target)) {
      throw new IllegalArgumentException(
          "no MQTT device '" + target + "'; devices: " + names + " or * for all");
    }
    String verb = words.get(0).toLowerCase(Locale.ROOT);
    List<String> args = words.subList(1, words.size());
    int[] arity = ARITY.get(verb);
    if (arity == null) {
      throw new IllegalArgumentException(
          "unknown MQTT device fault '" + verb + "'; use one of " + ARITY.keySet());
    }
    if (args.size() < arity[0] || args.size() > arity[1]) {
      throw new IllegalArgumentException(
          "fault '" + verb + "' takes " + Arrays.toString(arity) + " arguments, got " + args);
    }
    if (verb.equals("skew")) {
      Fault.signedDuration(args.get(0), "skew");
    } else if (verb.equals("same-serial-as") && !names.contains(args.get(0))) {
      throw new IllegalArgumentException(
          "no MQTT device '" + args.get(0) + "' to copy the serial of");
    } else if (verb.equals("malformed") && !args.isEmpty() && !MALFORMED.contains(args.get(0))) {
      throw new IllegalArgumentException(
          "unknown malformation '" + args.get(0) + "'; use one of " + MALFORMED);
    }
    List<String> targets = target.equals("*") ? names : List.of(target);
    return () -> {
      log.info("fault: mqtt {} {}", target, String.join(" ", words));
      for (String name : targets) {
        apply(fleet.get().device(name), verb, args);
      }
    };
  }

  private void apply(SimulatedMqttDevice d, String verb, List<String> args) {
    switch (verb) {
      case "kill" -> d.kill();
      case "stop" -> d.stop();
      case "disconnect" -> d.disconnectQuietly();
      case "start" -> d.start();
      case "freeze" -> d.freeze(true);
      case "thaw" -> d.freeze(false);
      case "replay" -> d.replayOldest();
      case "skew" -> d.skew(Fault.signedDuration(args.get(0), "skew"));
      case "serial" -> d.reportSerial(args.get(0));
      case "same-serial-as" -> d.reportSerial(fleet.get().device(args.get(0)).serial());
      case "malformed" -> d.publishRaw(malformed(args.isEmpty() ? "not-json" : args.get(0)));
      default -> throw new IllegalStateException(verb);
    }
  }

  private static byte[] malformed(String kind) {
    String json =
        switch (kind) {
          case "missing-field" -> "{\"values\":{}}";
          case "wrong-type" -> "{\"ts\":\"yesterday\",\"values\":{\"temperature\":\"hot\"}}";
          case "oversize" -> " ".repeat(OVERSIZE_BYTES);
          default -> "not json at all";
        };
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
