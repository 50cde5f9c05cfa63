package dev.onboard.meter.cli;

import dev.onboard.meter.csv.CsvReader;
import dev.onboard.meter.csv.Fields;
import dev.onboard.meter.csv.InputException;
import dev.onboard.meter.inventory.Device;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.inventory.PriorAward;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads enterprises.csv, devices.csv and prior.csv into domain records. Stateless. */
final class InventoryFiles {
  private InventoryFiles() {}

  /** enterprises.csv, by enterprise id; every column is kept as an attribute. */
  static Map<String, Enterprise> enterprises(String name) throws InputException {
    Map<String, Enterprise> byId = new LinkedHashMap<>();
    UniqueIds ids = new UniqueIds();
    try (CsvReader csv = CsvReader.open(Path.of(name), name)) {
      int[] c =
          csv.columns(
              "enterprise_id",
              "name",
              "district",
              "independent_legal_entity",
              "sme",
              "above_scale",
              "commitment_broken");
      Fields f = new Fields(csv);
      while (csv.next()) {
        String id = ids.next(csv, f, c[0]);
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < csv.size(); i++) {
          attributes.put(csv.columnName(i), csv.get(i).strip());
        }
        byId.put(
            id,
            new Enterprise(
                id,
                f.optionalText(c[1]),
                f.optionalText(c[2]),
                f.bool(c[3]),
                f.bool(c[4]),
                f.bool(c[5]),
                f.bool(c[6]),
                attributes));
      }
    } catch (IOException e) {
      throw new InputException(name, "cannot read the file (" + e.getMessage() + ")");
    }
    return byId;
  }

  /**
   * devices.csv, in file order; each device's enterprise must be in {@code enterprises}. Fills
   * {@code index} with each device's position in the returned list, and {@code owners} with each
   * device's enterprise (so that nobody looks it up a second time).
   */
  static List<Device> devices(
      String name, Map<String, Enterprise> enterprises, DeviceIndex index, List<Enterprise> owners)
      throws InputException {
    List<Device> devices = new ArrayList<>();
    long[] lines = new long[1024];
    try (CsvReader csv = CsvReader.open(Path.of(name), name)) {
      int[] c =
          csv.columns(
              "device_id", "enterprise_id", "identity", "onboarding_cost_yuan", "claimed_on");
      Fields f = new Fields(csv);
      while (csv.next()) {
        String id = f.text(c[0]);
        int earlier = index.putIfAbsent(id);
        if (earlier >= 0) {
          throw f.error(c[0], "\"" + id + "\" already appears on line " + lines[earlier]);
        }
        String enterprise = f.text(c[1]);
        Enterprise e = enterprises.get(enterprise);
        if (e == null) {
          throw f.error(c[1], "\"" + enterprise + "\" is not in the enterprises file");
        }
        if (devices.size() == lines.length) {
          lines = java.util.Arrays.copyOf(lines, lines.length * 2);
        }
        lines[devices.size()] = csv.line();
        devices.add(new Device(id, e.id(), f.text(c[2]), f.yuan(c[3], true), f.date(c[4])));
        owners.add(e);
      }
    } catch (IOException e) {
      throw new InputException(name, "cannot read the file (" + e.getMessage() + ")");
    }
    return devices;
  }

  /** prior.csv: awards already paid; the subject column is {@code idColumn}. */
  static List<PriorAward> prior(String name, String idColumn) throws InputException {
    List<PriorAward> prior = new ArrayList<>();
    if (name == null) {
      return prior;
    }
    try (CsvReader csv = CsvReader.open(Path.of(name), name)) {
      int[] c = csv.columns(idColumn, "policy", "year", "amount_yuan");
      Fields f = new Fields(csv);
      while (csv.next()) {
        prior.add(new PriorAward(f.text(c[0]), f.text(c[1]), f.year(c[2]), f.yuan(c[3], false)));
      }
    } catch (IOException e) {
      throw new InputException(name, "cannot read the file (" + e.getMessage() + ")");
    }
    return prior;
  }
}
