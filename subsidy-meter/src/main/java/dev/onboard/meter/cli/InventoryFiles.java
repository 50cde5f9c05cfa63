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
   * devices.csv as far as it is well formed, in file order, without looking at the enterprises (so
   * that it can be read while enterprises.csv is; {@link #owners} checks them after). Fills {@code
   * index} with each device's position in the list. A malformed row or an unreadable file does not
   * throw here but ends the reading: the error waits in {@link DeviceRows#failure} until the
   * enterprises of the rows before it are checked, since an unknown enterprise on an earlier line
   * is the first error of the file.
   */
  static DeviceRows devices(String name, DeviceIndex index) {
    List<Device> devices = new ArrayList<>();
    long[] lines = new long[1024];
    String enterprise = null;
    long line = 0;
    try (CsvReader csv = CsvReader.open(Path.of(name), name)) {
      int[] c =
          csv.columns(
              "device_id", "enterprise_id", "identity", "onboarding_cost_yuan", "claimed_on");
      Fields f = new Fields(csv);
      while (csv.next()) {
        line = csv.line();
        enterprise = null;
        String id = f.text(c[0]);
        int earlier = index.putIfAbsent(id);
        if (earlier >= 0) {
          throw f.error(c[0], "\"" + id + "\" already appears on line " + lines[earlier]);
        }
        enterprise = f.text(c[1]);
        Device device = new Device(id, enterprise, f.text(c[2]), f.yuan(c[3], true), f.date(c[4]));
        enterprise = null;
        if (devices.size() == lines.length) {
          lines = java.util.Arrays.copyOf(lines, lines.length * 2);
        }
        lines[devices.size()] = line;
        devices.add(device);
      }
    } catch (IOException e) {
      return new DeviceRows(
          devices,
          lines,
          new InputException(name, "cannot read the file (" + e.getMessage() + ")"),
          enterprise,
          line);
    } catch (InputException e) {
      return new DeviceRows(devices, lines, e, enterprise, line);
    }
    return new DeviceRows(devices, lines, null, null, 0);
  }

  /**
   * Each device's enterprise, in device order; throws the first error of devices.csv: an enterprise
   * not in {@code enterprises} (with the message and line it had when devices.csv was read after
   * enterprises.csv), else the error that ended {@link #devices}.
   */
  static List<Enterprise> owners(String name, DeviceRows rows, Map<String, Enterprise> enterprises)
      throws InputException {
    List<Device> devices = rows.devices();
    List<Enterprise> owners = new ArrayList<>(devices.size());
    for (int i = 0; i < devices.size(); i++) {
      String enterprise = devices.get(i).enterpriseId();
      Enterprise e = enterprises.get(enterprise);
      if (e == null) {
        throw unknown(name, rows.lines()[i], enterprise);
      }
      owners.add(e);
    }
    if (rows.failedEnterprise() != null && !enterprises.containsKey(rows.failedEnterprise())) {
      throw unknown(name, rows.failedLine(), rows.failedEnterprise());
    }
    if (rows.failure() != null) {
      throw rows.failure();
    }
    return owners;
  }

  private static InputException unknown(String name, long line, String enterprise) {
    return new InputException(
        name, line, "enterprise_id \"" + enterprise + "\" is not in the enterprises file");
  }

  /**
   * What {@link #devices} read: the devices, each one's line, and the error that ended the reading
   * (null if none) with the enterprise id read on that row before it and that row's line. Made and
   * read on one thread; not copied, so not to be changed.
   */
  record DeviceRows(
      List<Device> devices,
      long[] lines,
      InputException failure,
      String failedEnterprise,
      long failedLine) {}

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
