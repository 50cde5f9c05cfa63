package dev.onboard.meter.cli;

import dev.onboard.meter.allocation.Award;
import dev.onboard.meter.allocation.Clawbacks;
import dev.onboard.meter.allocation.DeviceAllocator;
import dev.onboard.meter.allocation.DeviceClaim;
import dev.onboard.meter.csv.InputException;
import dev.onboard.meter.inventory.Device;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.verification.EvidenceAccumulator;
import dev.onboard.meter.verification.Verifier;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.IntStream;

/** A per-device run (P1): inventory and streamed evidence from CSV → awards. Stateless. */
final class DeviceRun {
  private DeviceRun() {}

  static Outcome run(Policy policy, Arguments args, Timings timings) throws InputException {
    // The two files on the two cores: devices.csv needs the enterprises only to check that each
    // device's enterprise exists, which InventoryFiles.owners does once both are read.
    FutureTask<Map<String, Enterprise>> reading =
        new FutureTask<>(() -> InventoryFiles.enterprises(args.enterprises()));
    new Thread(reading, "meter-read-enterprises").start();
    DeviceIndex index = new DeviceIndex();
    InventoryFiles.DeviceRows rows = InventoryFiles.devices(args.devices(), index);
    Map<String, Enterprise> enterprises = enterprises(reading);
    List<Enterprise> owners = InventoryFiles.owners(args.devices(), rows, enterprises);
    List<Device> devices = rows.devices();
    timings.lap("read enterprises and devices");
    List<PriorAward> prior = InventoryFiles.prior(args.priorAwards(), "device_id");
    timings.lap("read prior awards");
    EvidenceAccumulator acc =
        new EvidenceAccumulator(devices.size(), policy.verification().window());
    String passes = EvidenceFile.accumulate(args.evidence(), index, acc);
    timings.lap("stream evidence (" + passes + ")");
    // awards.csv shows only the rules that failed: keeping the passed ones costs ~1 KB a device.
    Verifier verifier = new Verifier(policy.verification(), false);
    List<DeviceClaim> claims = verifyAll(devices, owners, acc, verifier, args.asOf());
    Map<String, String> enterpriseOf = new HashMap<>();
    for (PriorAward p : prior) {
      int i = index.get(p.subjectId());
      if (i >= 0) {
        enterpriseOf.put(p.subjectId(), devices.get(i).enterpriseId());
      }
    }
    // The index and the evidence sums (~120 MB for a million devices) are done with: let the
    // allocation's garbage collections skip them.
    index = null;
    acc = null;
    owners = null;
    timings.lap("verify");
    List<Award> awards = DeviceAllocator.allocate(policy, args.year(), args.asOf(), claims, prior);
    timings.lap("allocate");
    return new Outcome(
        "device_id", awards, Clawbacks.recoverable(policy, enterpriseOf, enterprises, prior));
  }

  /** The enterprises read by {@code reading}, or the error that stopped it. */
  private static Map<String, Enterprise> enterprises(FutureTask<Map<String, Enterprise>> reading)
      throws InputException {
    try {
      return reading.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InputException input) {
        throw input;
      }
      if (e.getCause() instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the enterprises", e);
    }
  }

  /** Each device's verification, on every core, in device order. */
  private static List<DeviceClaim> verifyAll(
      List<Device> devices,
      List<Enterprise> owners,
      EvidenceAccumulator acc,
      Verifier verifier,
      LocalDate asOf) {
    return IntStream.range(0, devices.size())
        .parallel()
        .mapToObj(
            i ->
                new DeviceClaim(
                    devices.get(i), owners.get(i), verifier.verify(acc.summary(i), asOf)))
        .toList();
  }
}
