package dev.onboard.adapters.mqtt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A topic with named placeholders, e.g. {@code factory/{enterprise}/{device}/telemetry}: each
 * placeholder fills exactly one topic level. Gives the subscription filter ({@code
 * factory/+/+/telemetry}) and the placeholder values of a received topic. Immutable and
 * thread-safe.
 */
final class TopicPattern {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

  private final String text;
  private final String[] levels;
  // The placeholder name filling each level, or null for a literal level; avoids regex per message.
  private final String[] placeholderAt;
  private final String filter;

  private TopicPattern(String text, String[] levels, String filter) {
    this.text = text;
    this.levels = levels;
    this.filter = filter;
    this.placeholderAt = new String[levels.length];
    for (int i = 0; i < levels.length; i++) {
      Matcher m = PLACEHOLDER.matcher(levels[i]);
      placeholderAt[i] = m.matches() ? m.group(1) : null;
    }
  }

  /**
   * Parses a pattern; returns a problem in words instead when it is not one.
   *
   * @return the pattern, or empty with {@code problem[0]} set
   */
  static Optional<TopicPattern> parse(String text, String[] problem) {
    if (text.contains("#") || text.contains("+")) {
      problem[0] = "wildcards + and # are not allowed; name each varying level with {placeholder}";
      return Optional.empty();
    }
    String[] levels = text.split("/", -1);
    List<String> filterLevels = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String level : levels) {
      Matcher m = PLACEHOLDER.matcher(level);
      if (m.matches()) {
        if (names.contains(m.group(1))) {
          problem[0] = "placeholder {" + m.group(1) + "} appears twice";
          return Optional.empty();
        }
        names.add(m.group(1));
        filterLevels.add("+");
      } else if (level.contains("{") || level.contains("}")) {
        problem[0] = "a placeholder must fill a whole topic level, as in a/{device}/b";
        return Optional.empty();
      } else {
        filterLevels.add(level);
      }
    }
    if (!names.contains("device")) {
      problem[0] = "has no {device} placeholder, so no message can be matched to a device";
      return Optional.empty();
    }
    return Optional.of(new TopicPattern(text, levels, String.join("/", filterLevels)));
  }

  /** The MQTT subscription filter. */
  String filter() {
    return filter;
  }

  /** The placeholder names in order. */
  List<String> placeholders() {
    List<String> out = new ArrayList<>();
    for (String name : placeholderAt) {
      if (name != null) {
        out.add(name);
      }
    }
    return out;
  }

  /** The placeholder values of {@code topic}, or empty if it does not match. */
  Optional<Map<String, String>> match(String topic) {
    String[] parts = topic.split("/", -1);
    if (parts.length != levels.length) {
      return Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < levels.length; i++) {
      if (placeholderAt[i] != null) {
        values.put(placeholderAt[i], parts[i]);
      } else if (!levels[i].equals(parts[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(values);
  }

  @Override
  public String toString() {
    return text;
  }
}
