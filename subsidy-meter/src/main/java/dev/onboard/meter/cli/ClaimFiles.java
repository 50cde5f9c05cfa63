package dev.onboard.meter.cli;

import dev.onboard.meter.csv.CsvReader;
import dev.onboard.meter.csv.Fields;
import dev.onboard.meter.csv.InputException;
import dev.onboard.meter.inventory.ActivityRow;
import dev.onboard.meter.inventory.Claim;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.policy.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads claims.csv (cost-ratio policies) and activity.csv (platform activity). Stateless. */
final class ClaimFiles {
  private ClaimFiles() {}

  /**
   * claims.csv, in file order; each claim's enterprise must be in {@code enterprises}, and a policy
   * with rates by service year needs {@code service_year} on every row.
   */
  static List<Claim> claims(String name, Map<String, Enterprise> enterprises, Policy policy)
      throws InputException {
    List<Claim> claims = new ArrayList<>();
    UniqueIds ids = new UniqueIds();
    boolean needYear = policy.rates().byServiceYear();
    try (CsvReader csv = CsvReader.open(Path.of(name), name)) {
      int[] c =
          csv.columns(
              "claim_id",
              "enterprise_id",
              "provider_id",
              "kind",
              "amount_yuan",
              "service_year",
              "claimed_on");
      Fields f = new Fields(csv);
      while (csv.next()) {
        String id = ids.next(csv, f, c[0]);
        String enterprise = UniqueIds.enterprise(f, c[1], enterprises);
        String provider = f.text(c[2]);
        String kind = f.text(c[3]);
        var amount = f.yuan(c[4], false);
        int serviceYear = 0;
        if (!f.optionalText(c[5]).isEmpty()) {
          long n = f.count(c[5]);
          if (n < 1 || n > 99) {
            throw f.error(c[5], "\"" + n + "\" is not a service year (1 = first year of service)");
          }
          serviceYear = (int) n;
        } else if (needYear) {
          throw f.error(
              c[5], "is empty, but " + policy.name() + " pays a rate by service year (1, 2, 3…)");
        }
        claims.add(new Claim(id, enterprise, provider, kind, amount, serviceYear, f.date(c[6])));
      }
    } catch (IOException e) {
      throw new InputException(name, "cannot read the file (" + e.getMessage() + ")");
    }
    return claims;
  }

  /** activity.csv: one row per enterprise, which must be in {@code enterprises}. */
  static List<ActivityRow> activity(String name, Map<String, Enterprise> enterprises)
      throws InputException {
    List<ActivityRow> rows = new ArrayList<>();
    UniqueIds ids = new UniqueIds();
    try (CsvReader csv = CsvReader.open(Path.of(name), name)) {
      int[] c = csv.columns("enterprise_id", "connected_seconds", "used_seconds");
      Fields f = new Fields(csv);
      while (csv.next()) {
        UniqueIds.enterprise(f, c[0], enterprises);
        String id = ids.next(csv, f, c[0]);
        try {
          rows.add(new ActivityRow(id, f.count(c[1]), f.count(c[2])));
        } catch (IllegalArgumentException e) {
          throw f.error(e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new InputException(name, "cannot read the file (" + e.getMessage() + ")");
    }
    return rows;
  }
}
