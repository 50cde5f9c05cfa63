package dev.onboard.meter.cli;

import dev.onboard.meter.allocation.ActivityMeter;
import dev.onboard.meter.allocation.PlatformAward;
import dev.onboard.meter.csv.InputException;
import dev.onboard.meter.inventory.ActivityRow;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.policy.Policy;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * A platform-activity run (P6): activity.csv → one row per enterprise in the output file, and the
 * active enterprises with the platform's award on stdout. Stateless.
 */
final class ActivityRun {
  private ActivityRun() {}

  static void run(Policy policy, Arguments args, Timings timings, PrintStream out)
      throws InputException {
    Map<String, Enterprise> enterprises = InventoryFiles.enterprises(args.enterprises());
    List<ActivityRow> rows = ClaimFiles.activity(args.activity(), enterprises);
    timings.lap("read activity");
    PlatformAward award = ActivityMeter.meter(policy, args.year(), rows);
    String year = Integer.toString(args.year());
    AwardsFile.write(
        args.out(),
        List.of(
            "enterprise_id",
            "year",
            "connected_seconds",
            "used_seconds",
            "used_ratio",
            "active",
            "reasons"),
        award.enterprises().stream()
            .map(
                e ->
                    List.of(
                        e.enterpriseId(),
                        year,
                        Long.toString(e.connectedSeconds()),
                        Long.toString(e.usedSeconds()),
                        e.usedRatio() == null ? "" : e.usedRatio().toPlainString(),
                        Boolean.toString(e.active()),
                        e.reason())));
    timings.lap("write " + args.out());
    out.println("meter: " + policy.name() + ", year " + args.year() + ", as of " + args.asOf());
    out.println("active enterprises: " + award.activeCount() + " of " + award.enterprises().size());
    award.enterprises().stream()
        .filter(PlatformAward.EnterpriseActivity::active)
        .forEach(e -> out.printf("  %-22s %s%n", e.enterpriseId(), e.usedRatio().toPlainString()));
    out.println("platform award (yuan): " + award.amount().toYuanString());
    award.reasons().forEach(r -> out.println("  " + r));
    out.println("wrote " + award.enterprises().size() + " rows to " + args.out());
  }
}
