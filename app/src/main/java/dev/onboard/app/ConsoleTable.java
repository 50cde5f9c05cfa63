package dev.onboard.app;

import dev.onboard.gateway.api.Counts;
import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.liveness.DeviceView;
import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders devices and counts as plain text for a terminal. */
final class ConsoleTable {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private ConsoleTable() {}

  static void devices(PrintStream out, List<DeviceView> devices) {
    String format = "%-9s %-5s %-8s %-8s %-9s %8s  %-34s %s%n";
    out.printf(
        format,
        "DEVICE",
        "ENT.",
        "PROTOCOL",
        "STATE",
        "LAST SEEN",
        "SAMPLES",
        "IDENTITY (read from the equipment)",
        "FLAGS");
    for (DeviceView d : devices) {
      String identity =
          d.identity().isEmpty()
              ? "-"
              : d.identity().entrySet().stream()
                  .filter(
                      e ->
                          e.getKey().equals("serialNumber")
                              || e.getKey().equals("manufacturer")
                              || e.getKey().equals("clientId"))
                  .map(Map.Entry::getValue)
                  .collect(Collectors.joining(" / "));
      out.printf(
          format,
          d.id(),
          d.enterpriseId(),
          d.protocol(),
          d.state(),
          d.lastSeen() == null ? "-" : TIME.format(d.lastSeen()),
          d.goodSamples(),
          identity.length() > 34 ? identity.substring(0, 33) + "…" : identity,
          d.flags().isEmpty() ? "" : String.join("; ", d.flags()));
    }
  }

  static void counts(PrintStream out, Counts c) {
    out.printf("%d devices: %s%n", c.total(), states(c.byState()));
    c.byEnterprise().forEach((e, n) -> out.printf("  enterprise %-6s %s%n", e, states(n)));
    c.byProtocol().forEach((p, n) -> out.printf("  protocol   %-6s %s%n", p, states(n)));
  }

  private static String states(Map<DeviceState, Long> n) {
    return n.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", "));
  }
}
