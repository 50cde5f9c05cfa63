package dev.onboard.meter.cli;

import dev.onboard.meter.csv.CsvReader;
import dev.onboard.meter.csv.Fields;
import dev.onboard.meter.csv.InputException;
import dev.onboard.meter.verification.EvidenceAccumulator;
import dev.onboard.meter.verification.EvidenceRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Streams evidence.csv into an {@link EvidenceAccumulator}, one row at a time, in the two passes it
 * needs. Memory does not grow with the number of rows. Stateless.
 */
final class EvidenceFile {
  private EvidenceFile() {}

  /** Runs both passes over the file. */
  static void accumulate(String name, Map<String, Integer> deviceIndex, EvidenceAccumulator acc)
      throws InputException {
    pass(name, deviceIndex, acc, true);
    pass(name, deviceIndex, acc, false);
  }

  private static void pass(
      String name, Map<String, Integer> deviceIndex, EvidenceAccumulator acc, boolean first)
      throws InputException {
    try (CsvReader csv = CsvReader.open(Path.of(name), name)) {
      int[] c =
          csv.columns(
              "device_id",
              "period_start",
              "period_end",
              "online_seconds",
              "good_samples",
              "value_changes",
              "max_clock_skew_ms",
              "arrived_central");
      Fields f = new Fields(csv);
      while (csv.next()) {
        String id = f.text(c[0]);
        Integer device = deviceIndex.get(id);
        if (device == null) {
          throw f.error(c[0], "\"" + id + "\" is not in the devices file");
        }
        EvidenceRow row;
        try {
          row =
              new EvidenceRow(
                  id,
                  f.instant(c[1]),
                  f.instant(c[2]),
                  f.count(c[3]),
                  f.count(c[4]),
                  f.count(c[5]),
                  f.count(c[6]),
                  f.bool(c[7]));
        } catch (IllegalArgumentException e) {
          throw f.error(e.getMessage());
        }
        if (first) {
          acc.firstPass(device, row);
        } else {
          acc.secondPass(device, row);
        }
      }
    } catch (IOException e) {
      throw new InputException(name, "cannot read the file (" + e.getMessage() + ")");
    }
  }
}
