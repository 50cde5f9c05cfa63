package dev.onboard.meter.cli;

import dev.onboard.meter.csv.InputException;
import dev.onboard.meter.policy.BuiltinPolicies;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.policy.PolicyFileException;
import java.io.PrintStream;

/**
 * The {@code meter} command: meters a policy over CSV inputs and writes awards.csv plus a summary.
 * The gateway's executable delegates its {@code meter} subcommand here. See {@code docs/meter.md}.
 *
 * <p>Exit codes: 0 done; 1 bad input (malformed row, unreadable file, bad policy file: the message
 * names file, line or key, and reason; nothing is written); 2 usage (unknown option, missing
 * argument). Thread-safe (no shared state).
 */
public final class MeterCli {

  static final String USAGE =
      """
      Usage: meter --policy <builtin-name|file.yaml> --year YYYY [--as-of YYYY-MM-DD]
                   --enterprises enterprises.csv
                   (--devices devices.csv --evidence evidence.csv   per-device policies
                    | --claims claims.csv                           cost-ratio policies
                    | --activity activity.csv)                      platform-activity policies
                   [--prior-awards prior.csv] --out awards.csv

      Meters a subsidy policy over the inputs and writes awards.csv (all or nothing),
      then prints rows per status, yuan per enterprise and the grand total.
      --as-of defaults to Dec 31 of --year. CSV files are UTF-8 with a header row.
      Exit codes: 0 ok, 1 bad input, 2 usage. Reference: docs/meter.md

      Built-in policies:
      """;

  private MeterCli() {}

  /**
   * Runs {@code meter} as its own program (the benchmark uses it; users run {@code onboard meter}).
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs {@code meter} with {@code args} (without the word "meter").
   *
   * @return the exit code: 0 ok, 1 bad input, 2 usage
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments a;
    try {
      a = Arguments.parse(args);
    } catch (UsageException e) {
      err.println("meter: " + e.getMessage());
      err.println("Try 'meter --help'.");
      return 2;
    }
    if (a.help()) {
      out.print(usage());
      return 0;
    }
    try {
      Policy policy = Policies.resolve(a.policy());
      Timings timings = new Timings(err);
      Outcome outcome;
      switch (policy.kind()) {
        case PER_DEVICE -> {
          a.require("for a per-device policy", "--enterprises", "--devices", "--evidence", "--out");
          outcome = DeviceRun.run(policy, a, timings);
        }
        case COST_RATIO -> {
          a.require("for a cost-ratio policy", "--enterprises", "--claims", "--out");
          outcome = ClaimRun.run(policy, a, timings);
        }
        case PLATFORM_ACTIVITY -> {
          a.require("for a platform-activity policy", "--enterprises", "--activity", "--out");
          ActivityRun.run(policy, a, timings, out);
          return 0;
        }
        default -> throw new IllegalStateException(policy.kind().name());
      }
      AwardsFile.write(a.out(), outcome.idColumn(), outcome.awards());
      timings.lap("write " + a.out());
      out.println("meter: " + policy.name() + ", year " + a.year() + ", as of " + a.asOf());
      Summary.print(out, outcome, a.out());
      timings.lap("print summary");
      return 0;
    } catch (UsageException e) {
      err.println("meter: " + e.getMessage());
      err.println("Try 'meter --help'.");
      return 2;
    } catch (InputException | PolicyFileException e) {
      err.println("meter: " + e.getMessage());
      err.println("meter: nothing written");
      return 1;
    }
  }

  static String usage() {
    StringBuilder s = new StringBuilder(USAGE);
    for (String name : BuiltinPolicies.names()) {
      Policy p = BuiltinPolicies.byName(name).orElseThrow();
      s.append(String.format("  %-28s %s (%s)%n", name, p.title(), p.source()));
    }
    return s.toString();
  }
}
