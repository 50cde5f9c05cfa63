package dev.onboard.simulator.opcua;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ServerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OPC UA faults by name, for the command line and scenario files. A fault names a target and what
 * happens to it:
 *
 * <pre>
 * plant-1            stop | start | restart [DOWNTIME] | state RUNNING|TEST|SUSPENDED|FAILED|...
 *                    | service-level 0..255
 * plant-1/CNC-0001   drop | restore | freeze | thaw | status Bad_SensorFailure|Good|...
 *                    | skew [-]DURATION | serial TEXT | same-serial-as OTHER-DEVICE
 * plant-1/*          any device fault, on every device of the server
 * </pre>
 *
 * Durations are written {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}.
 *
 * <p>Thread-safety: {@link #check} is pure; {@link #apply} may be called from any thread (the
 * servers' controls are thread-safe).
 */
public final class OpcUaFaults {

  private static final Logger log = LoggerFactory.getLogger(OpcUaFaults.class);
  private static final Pattern DURATION = Pattern.compile("(-?)(\\d+)(ms|s|m|h)");

  /** Server-level fault words and how many arguments each takes (min, max). */
  private static final Map<String, int[]> SERVER_FAULTS = new LinkedHashMap<>();

  /** Device-level fault words and how many arguments each takes (min, max). */
  private static final Map<String, int[]> DEVICE_FAULTS = new LinkedHashMap<>();

  static {
    SERVER_FAULTS.put("stop", new int[] {0, 0});
    SERVER_FAULTS.put("start", new int[] {0, 0});
    SERVER_FAULTS.put("restart", new int[] {0, 1});
    SERVER_FAULTS.put("state", new int[] {1, 1});
    SERVER_FAULTS.put("service-level", new int[] {1, 1});
    DEVICE_FAULTS.put("drop", new int[] {0, 0});
    DEVICE_FAULTS.put("restore", new int[] {0, 0});
    DEVICE_FAULTS.put("freeze", new int[] {0, 0});
    DEVICE_FAULTS.put("thaw", new int[] {0, 0});
    DEVICE_FAULTS.put("status", new int[] {1, 1});
    DEVICE_FAULTS.put("skew", new int[] {1, 1});
    DEVICE_FAULTS.put("serial", new int[] {1, 1});
    DEVICE_FAULTS.put("same-serial-as", new int[] {1, 1});
  }

  private final Map<String, SimulatedOpcUaServer> servers = new LinkedHashMap<>();
  private final ScheduledExecutorService timer;

  /**
   * @param servers the servers faults may target, by their configured names
   * @param timer runs the second half of a {@code restart} with downtime
   */
  public OpcUaFaults(List<SimulatedOpcUaServer> servers, ScheduledExecutorService timer) {
    servers.forEach(s -> this.servers.put(s.config().name(), s));
    this.timer = timer;
  }

  /**
   * Checks a fault without applying it.
   *
   * @param target {@code server} or {@code server/device} or {@code server/*}
   * @param words the fault and its arguments, e.g. {@code [restart, 5s]}
   * @throws IllegalArgumentException saying what is wrong and what is allowed
   */
  public void check(String target, List<String> words) {
    resolve(target, words);
  }

  /** Applies a fault now; a restart with downtime completes later, on the timer. */
  public void apply(String target, List<String> words) {
    Resolved r = resolve(target, words);
    List<String> args = words.subList(1, words.size());
    log.info("fault: opcua {} {}", target, String.join(" ", words));
    if (r.devices().isEmpty()) {
      applyToServer(r.server(), r.verb(), args);
    } else {
      for (String device : r.devices()) {
        applyToDevice(r.server(), device, r.verb(), args);
      }
    }
  }

  private void applyToServer(SimulatedOpcUaServer s, String verb, List<String> args) {
    switch (verb) {
      case "stop" -> s.stop().join();
      case "start" -> s.start().join();
      case "restart" -> {
        Duration downtime = args.isEmpty() ? Duration.ZERO : duration(args.get(0));
        s.stop().join();
        if (downtime.isZero()) {
          s.start().join();
        } else {
          timer.schedule(() -> s.start().join(), downtime.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      case "state" -> s.setServerState(serverState(args.get(0)));
      case "service-level" -> s.setServiceLevel(serviceLevel(args.get(0)));
      default -> throw new IllegalStateException(verb);
    }
  }

  private static void applyToDevice(
      SimulatedOpcUaServer s, String device, String verb, List<String> args) {
    switch (verb) {
      case "drop" -> s.stopDevice(device);
      case "restore" -> s.startDevice(device);
      case "freeze" -> s.freezeDevice(device, true);
      case "thaw" -> s.freezeDevice(device, false);
      case "status" -> s.setStatusCode(device, statusCode(args.get(0)));
      case "skew" -> s.skewClock(device, duration(args.get(0)));
      case "serial" -> s.setSerialNumber(device, args.get(0));
      case "same-serial-as" -> s.presentSameSerialAs(device, args.get(0));
      default -> throw new IllegalStateException(verb);
    }
  }

  private record Resolved(SimulatedOpcUaServer server, List<String> devices, String verb) {}

  private Resolved resolve(String target, List<String> words) {
    int slash = target.indexOf('/');
    String serverName = slash < 0 ? target : target.substring(0, slash);
    SimulatedOpcUaServer server = servers.get(serverName);
    if (server == null) {
      throw new IllegalArgumentException(
          "no OPC UA server '" + serverName + "'; servers: " + servers.keySet());
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("no fault given for " + target);
    }
    String verb = words.get(0).toLowerCase(Locale.ROOT);
    List<String> args = words.subList(1, words.size());
    List<String> devices = new ArrayList<>();
    Map<String, int[]> allowed;
    if (slash < 0) {
      allowed = SERVER_FAULTS;
    } else {
      allowed = DEVICE_FAULTS;
      String device = target.substring(slash + 1);
      if (device.equals("*")) {
        devices.addAll(server.deviceNames());
      } else if (server.deviceNames().contains(device)) {
        devices.add(device);
      } else {
        throw new IllegalArgumentException(
            "no device '" + device + "' on " + serverName + "; devices: " + names(server));
      }
    }
    int[] arity = allowed.get(verb);
    if (arity == null) {
      throw new IllegalArgumentException(
          "unknown "
              + (slash < 0 ? "server" : "device")
              + " fault '"
              + words.get(0)
              + "'; use one of "
              + allowed.keySet()
              + (slash < 0 ? " (device faults need server/device)" : ""));
    }
    if (args.size() < arity[0] || args.size() > arity[1]) {
      throw new IllegalArgumentException(
          "fault '"
              + verb
              + "' takes "
              + (arity[0] == arity[1] ? arity[0] : arity[0] + " to " + arity[1])
              + " argument(s), got "
              + args);
    }
    // Check the arguments' form now, so a scenario fails at load time, not hours later.
    switch (verb) {
      case "restart" -> args.forEach(OpcUaFaults::duration);
      case "skew" -> duration(args.get(0));
      case "state" -> serverState(args.get(0));
      case "service-level" -> serviceLevel(args.get(0));
      case "status" -> statusCode(args.get(0));
      case "same-serial-as" -> {
        if (!server.deviceNames().contains(args.get(0))) {
          throw new IllegalArgumentException(
              "no device '" + args.get(0) + "' on " + serverName + " to copy the serial of");
        }
      }
      default -> {
        // no arguments to check
      }
    }
    return new Resolved(server, devices, verb);
  }

  private static String names(SimulatedOpcUaServer server) {
    List<String> names = server.deviceNames();
    return names.size() <= 10
        ? names.toString()
        : names.subList(0, 10) + " and " + (names.size() - 10) + " more";
  }

  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write e.g. 500ms, 5s, -3s, 2m or 1h");
    }
    long n = Long.parseLong(m.group(2));
    Duration d =
        switch (m.group(3)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
    return m.group(1).isEmpty() ? d : d.negated();
  }

  private static ServerState serverState(String text) {
    String wanted = text.replace("_", "").replace("-", "");
    for (ServerState s : ServerState.values()) {
      if (s.name().equalsIgnoreCase(wanted)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown server state '"
            + text
            + "'; use one of "
            + Arrays.stream(ServerState.values())
                .map(s -> s.name().toUpperCase(Locale.ROOT))
                .toList());
  }

  private static int serviceLevel(String text) {
    try {
      int level = Integer.parseInt(text);
      if (level >= 0 && level <= 255) {
        return level;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("ServiceLevel is a number 0..255, not '" + text + "'");
  }

  private static long statusCode(String name) {
    try {
      return StatusCodes.class.getField(name).getLong(null);
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown StatusCode '"
              + name
              + "'; write its OPC UA name, e.g. Good, Bad_SensorFailure, Uncertain_LastUsableValue");
    }
  }
}
