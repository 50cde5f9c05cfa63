package dev.onboard.meter.allocation;

import dev.onboard.meter.inventory.Device;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.verification.EvidenceAccumulator;
import dev.onboard.meter.verification.EvidenceRow;
import dev.onboard.meter.verification.Verifier;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Meters a per-device policy from in-memory inputs: evidence → verification → allocation. The entry
 * point for callers that hold their inputs in memory (the gateway's report, one enterprise at a
 * time); the command line streams the same steps from CSV.
 *
 * <p>Thread-safe (stateless); a pure function of its arguments.
 */
public final class DeviceMeter {

  private DeviceMeter() {}

  /**
   * Meters {@code policy} for {@code year}.
   *
   * @param asOf last day of evidence; {@code null} means Dec 31 of {@code year}
   * @param enterprises the enterprises; every device's enterprise must be among them
   * @param devices every claimed device (all years)
   * @param evidence evidence rows of those devices, any order; iterated twice
   * @param prior awards already paid by this or other policies
   * @return one award per device of the year, sorted by enterprise then device
   * @throws IllegalArgumentException when a device's enterprise or an evidence row's device is
   *     unknown
   */
  public static List<Award> meter(
      Policy policy,
      int year,
      LocalDate asOf,
      List<Enterprise> enterprises,
      List<Device> devices,
      Iterable<EvidenceRow> evidence,
      List<PriorAward> prior) {
    LocalDate day = asOf == null ? LocalDate.of(year, 12, 31) : asOf;
    Map<String, Enterprise> byId = new HashMap<>();
    enterprises.forEach(e -> byId.put(e.id(), e));
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < devices.size(); i++) {
      index.put(devices.get(i).id(), i);
    }
    EvidenceAccumulator acc =
        new EvidenceAccumulator(devices.size(), policy.verification().window());
    evidence.forEach(r -> acc.firstPass(indexOf(index, r), r));
    evidence.forEach(r -> acc.secondPass(indexOf(index, r), r));
    Verifier verifier = new Verifier(policy.verification());
    List<DeviceClaim> claims = new ArrayList<>(devices.size());
    for (int i = 0; i < devices.size(); i++) {
      Device d = devices.get(i);
      Enterprise e = byId.get(d.enterpriseId());
      if (e == null) {
        throw new IllegalArgumentException(
            "device " + d.id() + ": unknown enterprise " + d.enterpriseId());
      }
      claims.add(new DeviceClaim(d, e, verifier.verify(acc.summary(i), day)));
    }
    return DeviceAllocator.allocate(policy, year, day, claims, prior);
  }

  private static int indexOf(Map<String, Integer> index, EvidenceRow row) {
    Integer i = index.get(row.deviceId());
    if (i == null) {
      throw new IllegalArgumentException("evidence for unknown device " + row.deviceId());
    }
    return i;
  }
}
