package dev.onboard.app;

import dev.onboard.meter.cli.MeterCli;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code onboard} command. Each verb is a subcommand; a bad configuration ends with one line
 * naming the file, the key and the fix, and exit code 1.
 */
@Command(
    name = "onboard",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Industrial edge gateway: puts equipment on the platform, proves it is live, meters subsidies.",
    subcommands = {
      RunCommand.class,
      CheckConfigCommand.class,
      DemoCommand.class,
      dev.onboard.simulator.SimulatorMain.class,
      PlatformCommand.class,
      Main.MeterEntry.class,
      ReportCommand.class,
      VerifyCommand.class,
      CheckpointCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code; tests call this instead of {@link #main}. */
  public static int execute(String... args) {
    Logging.configure();
    if (args.length > 0 && args[0].equals("meter")) {
      // The meter parses its own arguments: subsidy-meter is pure and knows no picocli.
      return MeterCli.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
    }
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Lists {@code meter} in the help; {@link #execute} hands its arguments to {@link MeterCli}. */
  @Command(
      name = "meter",
      description =
          "Meter devices or claims against a subsidy policy from CSV files; see 'onboard meter --help'.")
  static final class MeterEntry implements Runnable {
    @Override
    public void run() {
      MeterCli.run(new String[] {"--help"}, System.out, System.err);
    }
  }

  /** The version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"onboard " + (v == null ? "development" : v)};
    }
  }
}
