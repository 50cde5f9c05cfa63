package dev.onboard.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fault of a scenario: when, which protocol, which target, what. Written as one line,
 *
 * <pre>
 * # at  protocol  target            fault and arguments
 * 10s   opcua     plant-1/CNC-0001  freeze
 * 30s   opcua     plant-1           restart 5s
 * </pre>
 *
 * in a scenario file (one fault a line; {@code #} starts a comment) or a {@code --fault} option.
 * Each protocol checks its own targets and faults (see {@code OpcUaFaults}, {@code
 * SparkplugFaults}); new protocols add a handler in {@link SimulatedFactory}, not a new syntax.
 * Immutable.
 *
 * @param at how long after the scenario starts
 * @param protocol which part of the factory, e.g. {@code opcua}
 * @param target what the fault hits, e.g. {@code plant-1/CNC-0001}
 * @param words the fault and its arguments, e.g. {@code [restart, 5s]}
 * @param origin where it was written, for messages: {@code scenario.txt:3} or {@code --fault}
 */
public record Fault(
    Duration at, String protocol, String target, List<String> words, String origin) {

  private static final Pattern AT = Pattern.compile("(\\d+)(ms|s|m|h)");

  public Fault {
    words = List.copyOf(words);
  }

  /** Parses one line: {@code AT PROTOCOL TARGET FAULT [ARGS...]}. */
  public static Fault parse(String line, String origin) {
    String[] parts = line.trim().split("\\s+");
    if (parts.length < 4) {
      throw new IllegalArgumentException(
          origin
              + ": '"
              + line.trim()
              + "' needs AT PROTOCOL TARGET FAULT [ARGS], e.g. '10s opcua plant-1/CNC-0001 freeze'");
    }
    return new Fault(
        duration(parts[0], origin),
        parts[1],
        parts[2],
        Arrays.asList(parts).subList(3, parts.length),
        origin);
  }

  /** Parses {@code 500ms}, {@code 10s}, {@code 2m} or {@code 1h}. */
  public static Duration duration(String text, String origin) {
    Matcher m = AT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          origin + ": '" + text + "' is not a time; write e.g. 0s, 500ms, 10s, 2m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /**
   * As {@link #duration}, with an optional leading {@code -}: {@code -3s} is three seconds back.
   */
  public static Duration signedDuration(String text, String origin) {
    return text.startsWith("-")
        ? duration(text.substring(1), origin).negated()
        : duration(text, origin);
  }

  /** Reads a scenario file: one fault a line, blank lines and {@code #} comments skipped. */
  public static List<Fault> readScenario(Path file) throws IOException {
    List<Fault> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      if (!line.isBlank()) {
        out.add(parse(line, file.getFileName() + ":" + (i + 1)));
      }
    }
    return out;
  }

  /** The fault as written, without its time, e.g. {@code opcua plant-1 restart 5s}. */
  public String what() {
    return protocol + " " + target + " " + String.join(" ", words);
  }
}
