package dev.onboard.gateway.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onboard.gateway.config.Enterprise;
import dev.onboard.gateway.liveness.PresenceRecord;
import dev.onboard.gateway.liveness.StateChange;
import dev.onboard.gateway.liveness.TrackedDevice;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the gateway's evidence into the {@link Ledger} on one thread of its own ({@code
 * onboard-ledger}), so no adapter thread ever waits for a disk flush: the inventory at start, state
 * changes, identity observations, flags, and for every device one summary per period (an hour by
 * default) built from its per-minute presence, followed by a signed checkpoint.
 *
 * <p>Record types (canonical JSON, times as ISO-8601 UTC strings, durations in ms):
 *
 * <ul>
 *   <li>{@code enterprise}: enterprise, at, name, district, attributes (what eligibility rules
 *       test, e.g. {@code independent_legal_entity})
 *   <li>{@code inventory}: device, enterprise, at, source, protocol, claimedIdentity,
 *       onboardingCostYuan (e.g. {@code "1800.00"}, or null without cost evidence)
 *   <li>{@code state}: device, enterprise, at, from, to, cause
 *   <li>{@code identity}: device, enterprise, at, attributes (what the equipment said)
 *   <li>{@code flag}: device, enterprise, at, flag, detail
 *   <li>{@code summary}: device, enterprise, periodStart, periodEnd, observedMs, onlineMs,
 *       goodSamples, valueChanges, maxClockSkewMs, arrivedCentral
 * </ul>
 *
 * <p>Every record also has {@code prev}: the index of the previous record of the same type about
 * the same device (for {@code enterprise} records: the same enterprise), or -1 for the first. The
 * records of one device and type thus form a chain back to its first, and a report that left one
 * out would show a link to a record it does not hold ({@link #chainKey}).
 *
 * <p>{@code arrivedCentral} is true when the central store has accepted every evidence point the
 * gateway had written when the period closed, the presence points of the period included. The
 * uplink needs a moment for the period's last minute, so the recorder waits for it, at most {@link
 * #arrivalWait} (a sixth of the period, 10 s at most), before it writes the summaries.
 *
 * <p>Thread-safety: every public method may be called from any thread; work is queued in order.
 */
public final class EvidenceRecorder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EvidenceRecorder.class);

  private final Ledger ledger;
  private final Duration period;
  private final Map<String, TrackedDevice> devices = new LinkedHashMap<>();
  private final BooleanSupplier centralUpToDate;
  private final Consumer<Checkpoint> onCheckpoint;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "onboard-ledger");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, long[]> sums = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> lastIdentity = new LinkedHashMap<>();
  private final Map<String, Long> heads = new HashMap<>();
  private Instant periodStart;

  /**
   * @param period how long each summary covers; divides a day (e.g. 1h, 5m, 1m)
   * @param centralUpToDate whether the central store holds every evidence point written so far
   * @param onCheckpoint told of each checkpoint after it is signed (to send it to the store)
   */
  public EvidenceRecorder(
      Ledger ledger,
      Iterable<TrackedDevice> inventory,
      Duration period,
      BooleanSupplier centralUpToDate,
      Consumer<Checkpoint> onCheckpoint) {
    this.ledger = ledger;
    this.period = period;
    this.centralUpToDate = centralUpToDate;
    this.onCheckpoint = onCheckpoint;
    inventory.forEach(d -> devices.put(d.id(), d));
    thread.execute(this::findChainHeads);
  }

  /**
   * The chain a record belongs to: its type and the device (or, for {@code enterprise} records, the
   * enterprise) it is about; {@code null} for a record about neither.
   */
  public static String chainKey(Map<String, ?> record) {
    Object type = record.get("type");
    Object subject = "enterprise".equals(type) ? record.get("enterprise") : record.get("device");
    return type instanceof String t && subject instanceof String s ? t + "/" + s : null;
  }

  /** Reads the existing records once, to link new records to the last of their chain. */
  private void findChainHeads() {
    ObjectMapper json = new ObjectMapper();
    try {
      long n = ledger.size();
      for (long i = 0; i < n; i++) {
        @SuppressWarnings("unchecked")
        Map<String, Object> record = json.readValue(ledger.record(i), Map.class);
        String key = chainKey(record);
        if (key != null) {
          heads.put(key, i);
        }
      }
    } catch (IOException e) {
      log.error("ledger: cannot read the existing records to link new ones: {}", e.toString());
    }
  }

  /** Records the inventory in effect, as the gateway starts (devices only). */
  public void inventory() {
    inventory(List.of(), Map.of());
  }

  /**
   * Records the inventory in effect, as the gateway starts: each enterprise with the attributes
   * that eligibility rules test, then each device with what its enterprise claims about it.
   *
   * @param enterprises the inventory's enterprises
   * @param costYuanByDevice each device's onboarding cost in yuan (e.g. {@code 1800.00}); a device
   *     without one has no cost evidence
   */
  public void inventory(List<Enterprise> enterprises, Map<String, String> costYuanByDevice) {
    thread.execute(
        () -> {
          String at = ledger.now().toString();
          List<Map<String, Object>> records = new ArrayList<>();
          for (Enterprise e : enterprises) {
            records.add(
                Map.of(
                    "type", "enterprise",
                    "enterprise", e.id(),
                    "at", at,
                    "name", e.name(),
                    "district", e.district(),
                    "attributes", Map.copyOf(e.attributes())));
          }
          for (TrackedDevice d : devices.values()) {
            Map<String, Object> r = new HashMap<>();
            r.put("type", "inventory");
            r.put("device", d.id());
            r.put("enterprise", d.enterpriseId());
            r.put("at", at);
            r.put("source", d.sourceId());
            r.put("protocol", d.protocol());
            r.put("claimedIdentity", Map.copyOf(d.claimedIdentity()));
            r.put("onboardingCostYuan", costYuanByDevice.get(d.id()));
            records.add(r);
          }
          append(records);
        });
  }

  public void state(StateChange c) {
    submit(
        List.of(
            Map.of(
                "type",
                "state",
                "device",
                c.deviceId(),
                "enterprise",
                enterprise(c.deviceId()),
                "at",
                c.at().toString(),
                "from",
                c.from().name(),
                "to",
                c.to().name(),
                "cause",
                c.cause())));
  }

  /** Records what the equipment said, when it differs from what it said last. */
  public void identity(String deviceId, Instant at, Map<String, String> attributes) {
    thread.execute(
        () -> {
          if (attributes.equals(lastIdentity.put(deviceId, Map.copyOf(attributes)))) {
            return;
          }
          append(
              List.of(
                  Map.of(
                      "type",
                      "identity",
                      "device",
                      deviceId,
                      "enterprise",
                      enterprise(deviceId),
                      "at",
                      at.toString(),
                      "attributes",
                      Map.copyOf(attributes))));
        });
  }

  public void flag(String deviceId, Instant at, String flag, String detail) {
    submit(
        List.of(
            Map.of(
                "type",
                "flag",
                "device",
                deviceId,
                "enterprise",
                enterprise(deviceId),
                "at",
                at.toString(),
                "flag",
                flag,
                "detail",
                detail)));
  }

  /**
   * Adds one minute of presence; when the minute ends a period, writes its summaries and a
   * checkpoint.
   */
  public void presence(List<PresenceRecord> minute) {
    if (minute.isEmpty()) {
      return;
    }
    thread.execute(
        () -> {
          Instant minuteStart = minute.get(0).minuteStart();
          Instant start = periodOf(minuteStart);
          if (periodStart != null && !periodStart.equals(start)) {
            // A gap (the gateway was stopped mid-period): close what was collected.
            closePeriod(periodStart.plus(period));
          }
          periodStart = start;
          for (PresenceRecord p : minute) {
            long[] s = sums.computeIfAbsent(p.deviceId(), k -> new long[5]);
            s[0] += p.observedMillis();
            s[1] += p.onlineMillis();
            s[2] += p.goodSamples();
            s[3] += p.valueChanges();
            s[4] = Math.max(s[4], p.maxClockSkewMillis());
          }
          Instant minuteEnd = minuteStart.plus(Duration.ofMinutes(1));
          if (!periodOf(minuteEnd).equals(start)) {
            closePeriod(minuteEnd);
          }
        });
  }

  /** How long a closing period waits for the central store to accept its presence points. */
  static Duration arrivalWait(Duration period) {
    Duration sixth = period.dividedBy(6);
    return sixth.compareTo(Duration.ofSeconds(10)) < 0 ? sixth : Duration.ofSeconds(10);
  }

  private boolean arrivedCentral() {
    long deadline = System.nanoTime() + arrivalWait(period).toNanos();
    while (!centralUpToDate.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private void closePeriod(Instant end) {
    boolean arrived = arrivedCentral();
    List<Map<String, Object>> records = new ArrayList<>();
    sums.forEach(
        (device, s) ->
            records.add(
                Map.ofEntries(
                    Map.entry("type", "summary"),
                    Map.entry("device", device),
                    Map.entry("enterprise", enterprise(device)),
                    Map.entry("periodStart", periodStart.toString()),
                    Map.entry("periodEnd", end.toString()),
                    Map.entry("observedMs", s[0]),
                    Map.entry("onlineMs", s[1]),
                    Map.entry("goodSamples", s[2]),
                    Map.entry("valueChanges", s[3]),
                    Map.entry("maxClockSkewMs", s[4]),
                    Map.entry("arrivedCentral", arrived))));
    sums.clear();
    periodStart = null;
    append(records);
    try {
      onCheckpoint.accept(ledger.checkpoint());
    } catch (IOException e) {
      log.error("ledger: cannot sign a checkpoint: {}", e.toString());
    }
  }

  private Instant periodOf(Instant t) {
    long p = period.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), p) * p);
  }

  private String enterprise(String deviceId) {
    TrackedDevice d = devices.get(deviceId);
    return d == null ? "" : d.enterpriseId();
  }

  private void submit(List<Map<String, Object>> records) {
    thread.execute(() -> append(records));
  }

  private void append(List<Map<String, Object>> records) {
    List<Map<String, Object>> linked = new ArrayList<>(records.size());
    Map<String, Long> newHeads = new HashMap<>();
    long index = ledger.size();
    for (Map<String, Object> r : records) {
      Map<String, Object> copy = new HashMap<>(r);
      String key = chainKey(r);
      if (key != null) {
        Long prev = newHeads.containsKey(key) ? newHeads.get(key) : heads.get(key);
        copy.put("prev", prev == null ? -1L : prev);
        newHeads.put(key, index);
      }
      linked.add(copy);
      index++;
    }
    try {
      ledger.append(linked);
      heads.putAll(newHeads);
    } catch (IOException e) {
      // Evidence that cannot be written must be loud: the report will lack it.
      log.error("ledger: cannot write {} evidence records: {}", records.size(), e.toString());
    }
  }

  /** Waits until everything submitted so far is in the ledger (tests and orderly shutdown). */
  public void flush() throws InterruptedException {
    try {
      thread.submit(() -> {}).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("ledger thread did not catch up within 30 s", e);
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        log.error("ledger: evidence still queued after 30 s at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
