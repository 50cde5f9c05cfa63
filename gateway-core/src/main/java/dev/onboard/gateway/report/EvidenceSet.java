package dev.onboard.gateway.report;

import dev.onboard.gateway.liveness.IdentityRegistry;
import dev.onboard.gateway.spi.DeviceIdentity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Evidence records (as the ledger holds them, by index) sorted by what they are about: each
 * device's inventory, identity, state, flag and summary records, and each enterprise's records, in
 * ledger order. Records about neither are kept but not sorted.
 *
 * <p>Immutable after construction; not shared between threads.
 */
final class EvidenceSet {

  /** One record and its index in the ledger. */
  record Entry(long index, Map<String, Object> record) {
    String text(String key) {
      return record.get(key) instanceof String s ? s : null;
    }

    long number(String key) {
      return record.get(key) instanceof Number n ? n.longValue() : 0;
    }
  }

  /** The records about one device, by type, each list in ledger order. */
  static final class DeviceRecords {
    final String id;
    final List<Entry> inventory = new ArrayList<>();
    final List<Entry> identity = new ArrayList<>();
    final List<Entry> state = new ArrayList<>();
    final List<Entry> flag = new ArrayList<>();
    final List<Entry> summary = new ArrayList<>();
    final List<Long> indices = new ArrayList<>();

    DeviceRecords(String id) {
      this.id = id;
    }

    /** The latest inventory record, or null. */
    Entry latestInventory() {
      return inventory.isEmpty() ? null : inventory.get(inventory.size() - 1);
    }

    /** The enterprise that claims the device now: the one in its latest inventory record. */
    String enterprise() {
      Entry e = latestInventory();
      return e == null ? null : e.text("enterprise");
    }

    /** What the equipment said about itself last, or an empty map. */
    @SuppressWarnings("unchecked")
    Map<String, String> observedIdentity() {
      if (identity.isEmpty()) {
        return Map.of();
      }
      Object a = identity.get(identity.size() - 1).record().get("attributes");
      return a instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }

    /**
     * The identity the meter compares between devices: the most specific of what the equipment said
     * last (see {@link IdentityRegistry#key}); {@code null} when it never said anything.
     */
    String identityKey() {
      Map<String, String> observed = observedIdentity();
      return observed.isEmpty() ? null : IdentityRegistry.key(new DeviceIdentity(observed));
    }
  }

  final SortedMap<Long, Map<String, Object>> records;
  final Map<String, DeviceRecords> devices = new TreeMap<>();
  final Map<String, List<Entry>> enterprises = new TreeMap<>();

  private EvidenceSet(SortedMap<Long, Map<String, Object>> records) {
    this.records = Collections.unmodifiableSortedMap(records);
  }

  static EvidenceSet of(SortedMap<Long, Map<String, Object>> records) {
    EvidenceSet set = new EvidenceSet(new TreeMap<>(records));
    set.records.forEach(set::add);
    return set;
  }

  private void add(long index, Map<String, Object> record) {
    Entry e = new Entry(index, record);
    String type = e.text("type");
    if ("enterprise".equals(type) && e.text("enterprise") != null) {
      enterprises.computeIfAbsent(e.text("enterprise"), k -> new ArrayList<>()).add(e);
      return;
    }
    String device = e.text("device");
    if (device == null || type == null) {
      return;
    }
    DeviceRecords d = devices.computeIfAbsent(device, DeviceRecords::new);
    d.indices.add(index);
    switch (type) {
      case "inventory" -> d.inventory.add(e);
      case "identity" -> d.identity.add(e);
      case "state" -> d.state.add(e);
      case "flag" -> d.flag.add(e);
      case "summary" -> d.summary.add(e);
      default -> {}
    }
  }

  /** The devices whose latest inventory record puts them in {@code enterprise}, by id. */
  List<DeviceRecords> devicesOf(String enterprise) {
    List<DeviceRecords> out = new ArrayList<>();
    devices
        .values()
        .forEach(
            d -> {
              if (enterprise.equals(d.enterprise())) {
                out.add(d);
              }
            });
    return out;
  }

  /** The latest {@code enterprise} record of {@code id}, or null. */
  Entry latestEnterprise(String id) {
    List<Entry> list = enterprises.get(id);
    return list == null || list.isEmpty() ? null : list.get(list.size() - 1);
  }

  /** Every enterprise that has an enterprise record or a device, in id order. */
  List<String> enterpriseIds() {
    Map<String, Boolean> ids = new TreeMap<>();
    enterprises.keySet().forEach(id -> ids.put(id, true));
    devices
        .values()
        .forEach(
            d -> {
              if (d.enterprise() != null) {
                ids.put(d.enterprise(), true);
              }
            });
    return new ArrayList<>(ids.keySet());
  }

  static Map<String, Object> copy(Map<String, Object> m) {
    return new LinkedHashMap<>(m);
  }
}
