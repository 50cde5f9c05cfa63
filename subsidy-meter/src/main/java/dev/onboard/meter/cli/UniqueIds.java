package dev.onboard.meter.cli;

import dev.onboard.meter.csv.CsvReader;
import dev.onboard.meter.csv.Fields;
import dev.onboard.meter.csv.InputException;
import dev.onboard.meter.inventory.Enterprise;
import java.util.HashMap;
import java.util.Map;

/**
 * The id column of one file: each id once, a repeat named with the line of the first. Not
 * thread-safe; one per file read.
 */
final class UniqueIds {
  private final Map<String, Long> lineOf = new HashMap<>();

  /** The id in column {@code col} of the current record, which must not have appeared before. */
  String next(CsvReader csv, Fields f, int col) throws InputException {
    String id = f.text(col);
    Long earlier = lineOf.putIfAbsent(id, csv.line());
    if (earlier != null) {
      throw f.error(col, "\"" + id + "\" already appears on line " + earlier);
    }
    return id;
  }

  /** The enterprise id in column {@code col}, which must be in the enterprises file. */
  static String enterprise(Fields f, int col, Map<String, Enterprise> enterprises)
      throws InputException {
    String id = f.text(col);
    if (!enterprises.containsKey(id)) {
      throw f.error(col, "\"" + id + "\" is not in the enterprises file");
    }
    return id;
  }
}
