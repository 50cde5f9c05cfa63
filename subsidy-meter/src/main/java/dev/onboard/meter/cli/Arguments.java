package dev.onboard.meter.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed arguments of {@code meter}. File arguments are kept as the user typed them, so
 * messages name files the way the user knows them. Immutable.
 *
 * @param help {@code --help} was given
 * @param policy built-in name or policy file
 * @param year the award year
 * @param asOf last day of evidence (default Dec 31 of {@code year})
 * @param enterprises enterprises.csv
 * @param devices devices.csv (per-device policies)
 * @param evidence evidence.csv (per-device policies)
 * @param priorAwards prior.csv, or {@code null}
 * @param claims claims.csv (cost-ratio policies)
 * @param activity activity.csv (platform-activity policies)
 * @param out awards.csv to write
 */
record Arguments(
    boolean help,
    String policy,
    int year,
    LocalDate asOf,
    String enterprises,
    String devices,
    String evidence,
    String priorAwards,
    String claims,
    String activity,
    String out) {

  private static final List<String> OPTIONS =
      List.of(
          "--policy",
          "--year",
          "--as-of",
          "--enterprises",
          "--devices",
          "--evidence",
          "--prior-awards",
          "--claims",
          "--activity",
          "--out");

  static Arguments parse(String[] args) throws UsageException {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return new Arguments(true, null, 0, null, null, null, null, null, null, null, null);
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!OPTIONS.contains(name)) {
        throw new UsageException(
            arg.startsWith("-") ? "unknown option " + name : "unexpected argument " + arg);
      }
      if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException(name + " needs a value");
        }
        value = args[++i];
      }
      if (values.put(name, value) != null) {
        throw new UsageException(name + " is given twice");
      }
    }
    String policy = required(values, "--policy");
    String yearText = required(values, "--year");
    if (!yearText.matches("[0-9]{4}")) {
      throw new UsageException("--year must be a year such as 2024, not \"" + yearText + "\"");
    }
    int year = Integer.parseInt(yearText);
    LocalDate asOf = LocalDate.of(year, 12, 31);
    if (values.containsKey("--as-of")) {
      try {
        asOf = LocalDate.parse(values.get("--as-of"));
      } catch (DateTimeParseException e) {
        throw new UsageException(
            "--as-of must be a date YYYY-MM-DD, not \"" + values.get("--as-of") + "\"");
      }
    }
    return new Arguments(
        false,
        policy,
        year,
        asOf,
        values.get("--enterprises"),
        values.get("--devices"),
        values.get("--evidence"),
        values.get("--prior-awards"),
        values.get("--claims"),
        values.get("--activity"),
        values.get("--out"));
  }

  /** Fails unless every named option was given. */
  void require(String why, String... options) throws UsageException {
    for (String option : options) {
      if (valueOf(option) == null) {
        throw new UsageException(option + " is required " + why);
      }
    }
  }

  private String valueOf(String option) {
    return switch (option) {
      case "--enterprises" -> enterprises;
      case "--devices" -> devices;
      case "--evidence" -> evidence;
      case "--claims" -> claims;
      case "--activity" -> activity;
      case "--out" -> out;
      default -> throw new IllegalArgumentException(option);
    };
  }

  private static String required(Map<String, String> values, String name) throws UsageException {
    String v = values.get(name);
    if (v == null) {
      throw new UsageException(name + " is required");
    }
    return v;
  }
}
