package dev.onboard.gateway.spi;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A section of the configuration file, read with types. Every error names the file and the key's
 * full path ({@code sources[1].security.policy}) and says how to fix it, so adapters validate their
 * settings with the same quality of message as the gateway.
 *
 * <p>Values are the plain Java objects a YAML parser yields: {@link String}, {@link Number}, {@link
 * Boolean}, {@link List} and {@link Map}. Immutable and thread-safe.
 */
public final class Settings {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern BYTES =
      Pattern.compile("(\\d+)\\s*(kb|mb|gb|kib|mib|gib|KB|MB|GB|KiB|MiB|GiB)?");

  private final String file;
  private final String path;
  private final Map<String, Object> values;
  private final Function<String, String> env;

  /**
   * @param file the configuration file's path, as the user gave it
   * @param path this section's key path, e.g. {@code sources[0]}; empty for the root
   * @param values the section's keys and values
   * @param env looks up environment variables (tests pass a map's {@code get})
   */
  public Settings(String file, String path, Map<String, ?> values, Function<String, String> env) {
    this.file = file;
    this.path = path;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.env = env;
  }

  /** An empty section, for devices or sources that need no settings. */
  public static Settings empty(String file, String path) {
    return new Settings(file, path, Map.of(), System::getenv);
  }

  public String file() {
    return file;
  }

  /** This section's key path, e.g. {@code sources[0]}. */
  public String path() {
    return path;
  }

  /** The full path of a key of this section, for messages. */
  public String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public Set<String> keys() {
    return values.keySet();
  }

  public boolean has(String key) {
    return values.get(key) != null;
  }

  /** A section's raw values, for adapters that map a free-form structure themselves. */
  public Map<String, Object> asMap() {
    return values;
  }

  /** An error about a key of this section. */
  public ConfigException error(String key, String problem, String fix) {
    return new ConfigException(file, keyPath(key), problem, fix);
  }

  /** Fails on the first key not in {@code allowed}, suggesting the closest allowed one. */
  public void rejectUnknownKeys(Set<String> allowed) throws ConfigException {
    for (String key : values.keySet()) {
      if (!allowed.contains(key)) {
        String closest = closest(key, allowed);
        throw error(
            key,
            "unknown key",
            closest != null
                ? "did you mean '" + closest + "'? Allowed here: " + new TreeSet<>(allowed)
                : "remove it; allowed here: " + new TreeSet<>(allowed));
      }
    }
  }

  public String string(String key) throws ConfigException {
    return optionalString(key)
        .orElseThrow(() -> error(key, "missing", "add '" + key + ": <value>'"));
  }

  public String string(String key, String defaultValue) throws ConfigException {
    return optionalString(key).orElse(defaultValue);
  }

  public Optional<String> optionalString(String key) throws ConfigException {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Map || v instanceof List) {
      throw error(
          key, "must be a single value, not a section or list", "write '" + key + ": <value>'");
    }
    String s = String.valueOf(v).trim();
    if (s.isEmpty()) {
      throw error(key, "is empty", "give a value or remove the key");
    }
    return Optional.of(s);
  }

  public int integer(String key, int defaultValue, int min, int max) throws ConfigException {
    Optional<String> s = optionalString(key);
    if (s.isEmpty()) {
      return defaultValue;
    }
    try {
      int v = Integer.parseInt(s.get());
      if (v < min || v > max) {
        throw error(
            key, "is " + v + ", out of range", "use a whole number from " + min + " to " + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw error(
          key,
          "'" + s.get() + "' is not a whole number",
          "use a whole number from " + min + " to " + max);
    }
  }

  public boolean bool(String key, boolean defaultValue) throws ConfigException {
    Object v = values.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw error(key, "'" + v + "' is not true or false", "write true or false");
  }

  /**
   * A duration written as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601
   * ({@code PT5S}); must be positive.
   */
  public Duration duration(String key, Duration defaultValue) throws ConfigException {
    Optional<String> s = optionalString(key);
    if (s.isEmpty()) {
      return defaultValue;
    }
    Duration d = parseDuration(s.get());
    if (d == null || d.isNegative() || d.isZero()) {
      throw error(
          key,
          "'" + s.get() + "' is not a positive duration",
          "write e.g. 500ms, 5s, 2m, 1h or PT5S");
    }
    return d;
  }

  /**
   * A size in bytes written as {@code 512MiB}, {@code 1GiB}, {@code 2000MB}, {@code 64KiB} or a
   * plain number of bytes; must be positive.
   */
  public long bytes(String key, long defaultValue) throws ConfigException {
    Optional<String> s = optionalString(key);
    if (s.isEmpty()) {
      return defaultValue;
    }
    Matcher m = BYTES.matcher(s.get().trim());
    if (!m.matches()) {
      throw error(key, "'" + s.get() + "' is not a size", "write e.g. 512MiB, 1GiB or 2000MB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "kb" -> 1_000L;
          case "mb" -> 1_000_000L;
          case "gb" -> 1_000_000_000L;
          case "kib" -> 1L << 10;
          case "mib" -> 1L << 20;
          case "gib" -> 1L << 30;
          default -> 1L;
        };
    if (n <= 0) {
      throw error(key, "must be positive", "write e.g. 512MiB, 1GiB or 2000MB");
    }
    return Math.multiplyExact(n, factor);
  }

  /**
   * Parses {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601; null if
   * neither.
   */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** An enum constant, matched ignoring case with {@code -} read as {@code _}. */
  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue)
      throws ConfigException {
    Optional<String> s = optionalString(key);
    if (s.isEmpty()) {
      return defaultValue;
    }
    String wanted = s.get().replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(wanted)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    throw error(key, "'" + s.get() + "' is not allowed", "use one of " + names);
  }

  /** A nested section; empty when the key is absent. */
  public Settings section(String key) throws ConfigException {
    Object v = values.get(key);
    if (v == null) {
      return new Settings(file, keyPath(key), Map.of(), env);
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw error(key, "must be a section of keys", "indent the keys under '" + key + ":'");
    }
    return new Settings(file, keyPath(key), stringKeys(m), env);
  }

  /** A list of sections; empty when the key is absent. */
  public List<Settings> sections(String key) throws ConfigException {
    Object v = values.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw error(key, "must be a list", "write each entry on its own line starting with '- '");
    }
    List<Settings> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw new ConfigException(
            file,
            keyPath(key) + "[" + i + "]",
            "must be a section of keys",
            "write 'key: value' pairs under '- '");
      }
      out.add(new Settings(file, keyPath(key) + "[" + i + "]", stringKeys(m), env));
    }
    return out;
  }

  /** A list of single values; empty when the key is absent. A lone value is a list of one. */
  public List<String> strings(String key) throws ConfigException {
    Object v = values.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object o : list) {
        if (o == null || o instanceof Map || o instanceof List) {
          throw error(key, "must be a list of single values", "write e.g. [a, b]");
        }
        out.add(String.valueOf(o));
      }
      return out;
    }
    return List.of(string(key));
  }

  /**
   * A secret, given as {@code {env: NAME}} or {@code {file: PATH}}, never inline: a password
   * written into the configuration file would end up in backups, tickets and version control.
   */
  public Optional<Secret> secret(String key) throws ConfigException {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    String fix = "write '" + key + ": {env: VARIABLE}' or '" + key + ": {file: /path/to/file}'";
    if (!(v instanceof Map<?, ?>)) {
      throw error(key, "secrets may not be written into the configuration", fix);
    }
    Settings ref = section(key);
    ref.rejectUnknownKeys(Set.of("env", "file"));
    if (ref.has("env") == ref.has("file")) {
      throw error(key, "give exactly one of env or file", fix);
    }
    if (ref.has("env")) {
      String name = ref.string("env");
      String value = env.apply(name);
      if (value == null || value.isEmpty()) {
        throw error(
            key,
            "environment variable " + name + " is not set",
            "export " + name + " before starting, or use {file: ...}");
      }
      return Optional.of(new Secret("env:" + name, value));
    }
    Path p = Path.of(ref.string("file"));
    try {
      String value = Files.readString(p, StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        throw error(key, "file " + p + " is empty", "write the secret into " + p);
      }
      return Optional.of(new Secret("file:" + p, value));
    } catch (java.io.IOException e) {
      throw error(
          key,
          "cannot read " + p + " (" + e.getClass().getSimpleName() + ")",
          "check the path and that the gateway's user may read it");
    }
  }

  private static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private static String closest(String key, Set<String> allowed) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String a : allowed) {
      String k = key.toLowerCase(Locale.ROOT);
      String l = a.toLowerCase(Locale.ROOT);
      // A shortened key ("serial" for "serialNumber") is as likely a slip as a typo.
      int d = l.startsWith(k) || k.startsWith(l) ? 1 : distance(k, l);
      if (d < bestDistance) {
        bestDistance = d;
        best = a;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
