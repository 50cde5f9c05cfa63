package dev.onboard.gateway.report;

import dev.onboard.gateway.report.EvidenceSet.DeviceRecords;
import dev.onboard.gateway.report.EvidenceSet.Entry;
import dev.onboard.meter.allocation.Award;
import dev.onboard.meter.allocation.AwardStatus;
import dev.onboard.meter.allocation.DeviceAllocator;
import dev.onboard.meter.allocation.DeviceClaim;
import dev.onboard.meter.inventory.Device;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.verification.EvidenceAccumulator;
import dev.onboard.meter.verification.EvidenceRow;
import dev.onboard.meter.verification.EvidenceSummary;
import dev.onboard.meter.verification.RuleOutcome;
import dev.onboard.meter.verification.Verification;
import dev.onboard.meter.verification.VerificationRule;
import dev.onboard.meter.verification.Verifier;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The meter run on evidence records: the one computation behind a report's rows, used both to build
 * a report and, in {@code verify}, to recompute it from the records the report carries.
 *
 * <p>For enterprise E and year Y, as of Dec 31 of Y:
 *
 * <ul>
 *   <li>E's devices are those whose latest {@code inventory} record names E; each one's cost and
 *       claimed identity come from that record, its claim date from its first.
 *   <li>A device's identity is what its equipment said last ({@code identity} records), reduced to
 *       the most specific key; a device whose equipment never said anything has none.
 *   <li>Its evidence rows are its {@code summary} records that end by the cut-off: the end of Y or
 *       the end of the latest summary of E's devices, whichever is earlier. Online time counts in
 *       whole seconds. A window that ends after that latest summary is pending: the evidence for it
 *       is not signed yet.
 *   <li>Devices of other enterprises that the records hold (the report carries those that share an
 *       identity with one of E's) take part in "one identity, one device"; their rows are not E's.
 *   <li>The gateway knows of no awards paid earlier, so there are none: a policy's overflow must be
 *       {@code forfeit}.
 * </ul>
 *
 * <p>Stateless and thread-safe; a pure function of its arguments.
 */
final class ReportMeter {

  private ReportMeter() {}

  /** What the meter says about one enterprise and year. All values are canonical JSON values. */
  record Result(
      Map<String, Object> enterprise,
      String asOf,
      String evidenceUntil,
      List<Map<String, Object>> devices,
      List<Map<String, Object>> otherYears,
      Map<String, Object> totals) {}

  static Result meter(Policy policy, int year, String enterpriseId, EvidenceSet ev) {
    ZoneId zone = policy.verification().zone();
    LocalDate asOf = LocalDate.of(year, 12, 31);
    Verifier verifier = new Verifier(policy.verification());
    Instant endOfYear = verifier.endOf(asOf);
    List<DeviceRecords> own = ev.devicesOf(enterpriseId);

    Instant latest = null;
    for (DeviceRecords d : own) {
      for (Entry s : d.summary) {
        Instant end = instant(s, "periodEnd");
        latest = latest == null || end.isAfter(latest) ? end : latest;
      }
    }
    Instant cutoff = latest == null || latest.isAfter(endOfYear) ? endOfYear : latest;

    EvidenceAccumulator acc = new EvidenceAccumulator(own.size(), policy.verification().window());
    List<List<EvidenceRow>> rows = new ArrayList<>();
    for (DeviceRecords d : own) {
      List<EvidenceRow> list = new ArrayList<>();
      for (Entry s : d.summary) {
        EvidenceRow row = row(d.id, s);
        if (latest != null && !row.periodEnd().isAfter(cutoff)) {
          list.add(row);
        }
      }
      rows.add(list);
    }
    for (int i = 0; i < own.size(); i++) {
      for (EvidenceRow r : rows.get(i)) {
        acc.firstPass(i, r);
      }
    }
    for (int i = 0; i < own.size(); i++) {
      for (EvidenceRow r : rows.get(i)) {
        acc.secondPass(i, r);
      }
    }

    Enterprise enterprise = meterEnterprise(ev, enterpriseId);
    List<DeviceClaim> claims = new ArrayList<>();
    Map<String, EvidenceSummary> summaries = new HashMap<>();
    Map<String, Verification> verifications = new HashMap<>();
    for (int i = 0; i < own.size(); i++) {
      DeviceRecords d = own.get(i);
      EvidenceSummary summary = acc.summary(i);
      Verification v;
      if (summary.hasGoodData()
          && summary.windowEnd().isAfter(cutoff)
          && cutoff.isBefore(endOfYear)) {
        v = pending(summary, cutoff, zone);
      } else {
        v = verifier.verify(summary, asOf);
      }
      summaries.put(d.id, summary);
      verifications.put(d.id, v);
      claims.add(new DeviceClaim(device(d, enterpriseId, zone, year), enterprise, v));
    }
    for (DeviceRecords d : ev.devices.values()) {
      String other = d.enterprise();
      if (other != null && !other.equals(enterpriseId)) {
        // Takes part in "one identity, one device" only; its own award is not this report's.
        claims.add(
            new DeviceClaim(
                device(d, other, zone, year),
                Enterprise.of(other, "", "", false, false, false, false),
                new Verification(Verification.State.NOT_VERIFIED, null, null, List.of())));
      }
    }
    List<Award> awards = DeviceAllocator.allocate(policy, year, asOf, claims, List.of());

    List<Map<String, Object>> devices = new ArrayList<>();
    Map<String, Award> byDevice = new TreeMap<>();
    for (Award a : awards) {
      if (a.enterpriseId().equals(enterpriseId)) {
        byDevice.put(a.subjectId(), a);
      }
    }
    List<Map<String, Object>> otherYears = new ArrayList<>();
    for (DeviceRecords d : own) {
      Award a = byDevice.get(d.id);
      if (a == null) {
        Verification v = verifications.get(d.id);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("device", d.id);
        o.put("state", v.state().name());
        o.put("verifiedOn", v.verifiedOn() == null ? null : v.verifiedOn().toString());
        otherYears.add(o);
      } else {
        devices.add(row(policy, d, a, summaries.get(d.id)));
      }
    }
    return new Result(
        enterpriseBlock(ev, enterpriseId),
        asOf.toString(),
        latest == null ? null : cutoff.toString(),
        devices,
        otherYears,
        totals(policy, devices));
  }

  private static EvidenceRow row(String device, Entry s) {
    try {
      return new EvidenceRow(
          device,
          instant(s, "periodStart"),
          instant(s, "periodEnd"),
          s.number("onlineMs") / 1000,
          s.number("goodSamples"),
          s.number("valueChanges"),
          s.number("maxClockSkewMs"),
          Boolean.TRUE.equals(s.record().get("arrivedCentral")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("record #" + s.index() + ": " + e.getMessage(), e);
    }
  }

  private static Instant instant(Entry e, String key) {
    String text = e.text(key);
    try {
      return Instant.parse(text);
    } catch (RuntimeException ex) {
      throw new IllegalArgumentException(
          "record #" + e.index() + ": " + key + " is not an instant: " + text, ex);
    }
  }

  /** Pending: the window ends after the latest signed summary. */
  private static Verification pending(EvidenceSummary s, Instant cutoff, ZoneId zone) {
    return new Verification(
        Verification.State.PENDING,
        s.windowEnd().atZone(zone).toLocalDate(),
        null,
        List.of(
            new RuleOutcome(VerificationRule.GOOD_DATA, true, "Good data from " + s.windowStart()),
            new RuleOutcome(
                VerificationRule.WINDOW_COMPLETE,
                false,
                "observation window ends "
                    + s.windowEnd()
                    + ", after the evidence signed so far ("
                    + cutoff
                    + ") (VERIFICATION 3)")));
  }

  private static Device device(DeviceRecords d, String enterpriseId, ZoneId zone, int year) {
    String key = d.identityKey();
    Entry first = d.inventory.isEmpty() ? null : d.inventory.get(0);
    LocalDate claimedOn =
        first == null || first.text("at") == null
            ? LocalDate.of(year, 1, 1)
            : instant(first, "at").atZone(zone).toLocalDate();
    return new Device(
        d.id, enterpriseId, key == null ? "unreported:" + d.id : key, cost(d), claimedOn);
  }

  private static Money cost(DeviceRecords d) {
    Entry inv = d.latestInventory();
    String text = inv == null ? null : inv.text("onboardingCostYuan");
    return text == null ? null : Money.parseYuan(text);
  }

  private static Enterprise meterEnterprise(EvidenceSet ev, String id) {
    Map<String, String> attributes = attributes(ev.latestEnterprise(id));
    Entry e = ev.latestEnterprise(id);
    return new Enterprise(
        id,
        e == null ? "" : String.valueOf(e.text("name")),
        e == null ? "" : String.valueOf(e.text("district")),
        "true".equalsIgnoreCase(attributes.get("independent_legal_entity")),
        "true".equalsIgnoreCase(attributes.get("sme")),
        "true".equalsIgnoreCase(attributes.get("above_scale")),
        "true".equalsIgnoreCase(attributes.get("commitment_broken")),
        attributes);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> attributes(Entry e) {
    if (e == null || !(e.record().get("attributes") instanceof Map<?, ?> m)) {
      return Map.of();
    }
    return new TreeMap<>((Map<String, String>) m);
  }

  private static Map<String, Object> enterpriseBlock(EvidenceSet ev, String id) {
    Entry e = ev.latestEnterprise(id);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.put("name", e == null ? null : e.text("name"));
    out.put("district", e == null ? null : e.text("district"));
    out.put("attributes", new TreeMap<String, Object>(attributes(e)));
    out.put("record", e == null ? null : e.index());
    return out;
  }

  private static Map<String, Object> row(
      Policy policy, DeviceRecords d, Award a, EvidenceSummary summary) {
    Entry inv = d.latestInventory();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("device", d.id);
    r.put("source", inv == null ? null : inv.text("source"));
    r.put("protocol", inv == null ? null : inv.text("protocol"));
    Map<String, Object> claimed =
        inv != null && inv.record().get("claimedIdentity") instanceof Map<?, ?> m
            ? new TreeMap<>(cast(m))
            : new TreeMap<>();
    r.put("claimedIdentity", claimed);
    r.put("identity", new TreeMap<String, Object>(d.observedIdentity()));
    r.put("identityKey", d.identityKey());
    r.put(
        "claimedOn",
        device(d, a.enterpriseId(), policy.verification().zone(), a.year()).claimedOn().toString());
    r.put("firstSeen", firstSeen(d));
    r.put("windowStart", summary.hasGoodData() ? summary.windowStart().toString() : null);
    r.put("windowEnd", summary.hasGoodData() ? summary.windowEnd().toString() : null);
    r.put("verifiedOn", a.verifiedOn() == null ? null : a.verifiedOn().toString());
    r.put("onlineRatio", a.onlineRatio() == null ? null : a.onlineRatio().toPlainString());
    List<Object> rules = new ArrayList<>();
    for (RuleOutcome o : a.verification()) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("rule", o.rule().name());
      rule.put("clause", o.rule().clause());
      rule.put("passed", o.passed());
      rule.put("reason", o.reason());
      rules.add(rule);
    }
    r.put("rules", rules);
    r.put("status", a.status().name());
    r.put("costYuan", a.cost() == null ? null : a.cost().toYuanString());
    r.put("awardYuan", a.amount().toYuanString());
    r.put("capsApplied", capsApplied(policy, a));
    r.put("reasons", new ArrayList<Object>(a.reasons()));
    r.put("flags", flags(d, claimed));
    r.put("records", new ArrayList<Object>(d.indices));
    return r;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  /** When the gateway first heard the equipment: its first identity report or first ONLINE. */
  private static String firstSeen(DeviceRecords d) {
    Instant first = null;
    if (!d.identity.isEmpty()) {
      first = instant(d.identity.get(0), "at");
    }
    for (Entry s : d.state) {
      if ("ONLINE".equals(s.text("to"))) {
        Instant at = instant(s, "at");
        first = first == null || at.isBefore(first) ? at : first;
        break;
      }
    }
    return first == null ? null : first.toString();
  }

  private static List<Object> capsApplied(Policy policy, Award a) {
    List<Object> out = new ArrayList<>();
    Money perDevice = policy.perDeviceAmount();
    boolean paid = a.status() == AwardStatus.AWARDED || a.status() == AwardStatus.PARTIAL;
    if (paid && a.cost() != null && a.cost().compareTo(perDevice) > 0) {
      out.add("per-device " + perDevice + " (cost " + a.cost() + ")");
    }
    if (a.status() == AwardStatus.PARTIAL) {
      out.add(
          "enterprise annual cap " + policy.perEnterpriseYearCap() + ": " + a.amount() + " left");
    } else if (a.status() == AwardStatus.CAPPED) {
      out.add("enterprise annual cap " + policy.perEnterpriseYearCap() + " reached");
    }
    return out;
  }

  /**
   * What to look at: each flag the adapters raised (how often, and the last detail), and where the
   * equipment contradicts what the enterprise claims.
   */
  private static List<Object> flags(DeviceRecords d, Map<String, Object> claimed) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, String> last = new HashMap<>();
    for (Entry f : d.flag) {
      String name = String.valueOf(f.text("flag"));
      counts.computeIfAbsent(name, k -> new long[1])[0]++;
      last.put(name, String.valueOf(f.text("detail")));
    }
    List<Object> out = new ArrayList<>();
    counts.forEach(
        (name, n) ->
            out.add(
                name
                    + " ×"
                    + n[0]
                    + (last.get(name).isEmpty() ? "" : " (last: " + last.get(name) + ")")));
    Map<String, String> observed = d.observedIdentity();
    List<String> mismatches = new ArrayList<>();
    claimed.forEach(
        (key, value) -> {
          String said = observed.get(key);
          if (said != null && !said.equals(value)) {
            mismatches.add(key + ": claimed " + value + ", equipment says " + said);
          }
        });
    if (!mismatches.isEmpty()) {
      out.add("IDENTITY_MISMATCH " + String.join("; ", mismatches));
    }
    return out;
  }

  private static Map<String, Object> totals(Policy policy, List<Map<String, Object>> rows) {
    Map<String, Object> t = new LinkedHashMap<>();
    Map<String, Object> byStatus = new TreeMap<>();
    Money cost = Money.ZERO;
    Money awarded = Money.ZERO;
    for (Map<String, Object> r : rows) {
      byStatus.merge((String) r.get("status"), 1L, (x, y) -> (Long) x + (Long) y);
      if (r.get("costYuan") != null) {
        cost = cost.plus(Money.parseYuan((String) r.get("costYuan")));
      }
      awarded = awarded.plus(Money.parseYuan((String) r.get("awardYuan")));
    }
    Money cap = policy.perEnterpriseYearCap();
    t.put("devices", (long) rows.size());
    t.put("byStatus", byStatus);
    t.put("costYuan", cost.toYuanString());
    t.put("awardedYuan", awarded.toYuanString());
    t.put("perDeviceAmountYuan", policy.perDeviceAmount().toYuanString());
    t.put("enterpriseYearCapYuan", cap == null ? null : cap.toYuanString());
    t.put(
        "capRemainingYuan", cap == null ? null : cap.minus(awarded).max(Money.ZERO).toYuanString());
    return t;
  }
}
