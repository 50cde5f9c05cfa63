package dev.onboard.gateway.report;

import dev.onboard.gateway.ledger.CanonicalJson;
import dev.onboard.gateway.ledger.Checkpoint;
import dev.onboard.gateway.ledger.EvidenceRecorder;
import dev.onboard.gateway.ledger.GatewayKey;
import dev.onboard.gateway.ledger.Merkle;
import dev.onboard.meter.policy.BuiltinPolicies;
import dev.onboard.meter.policy.Policy;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a signed report offline, with nothing but the gateway's public key: that the report is
 * what the gateway signed, that its checkpoint is signed too, that every evidence record is in the
 * signed tree (its inclusion proof leads to the checkpoint's root) and no record of a chain is
 * missing, optionally that a later checkpoint extends the same tree, that a built-in policy's name
 * is not used for other rules, and that the meter, run again on the records the report carries,
 * gives every row and total the report shows.
 *
 * <p>Every check runs and says what it found; the exit code is that of the first check, in the
 * order of {@link Check}, that failed.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReportVerifier {

  private static final int MAX_MESSAGES = 12;

  /** What is checked, in order, with the exit code a failure gives. */
  public enum Check {
    REPORT("report", 1),
    SIGNATURE("signature", 3),
    CHECKPOINT("checkpoint", 4),
    EVIDENCE("evidence", 5),
    LATER_CHECKPOINT("later checkpoint", 6),
    POLICY("policy", 7),
    AWARDS("awards", 8);

    private final String label;
    private final int exitCode;

    Check(String label, int exitCode) {
      this.label = label;
      this.exitCode = exitCode;
    }

    public String label() {
      return label;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  /** One check's outcome: passed (with what it saw) or failed (with each problem), or skipped. */
  public record Finding(Check check, Status status, List<String> messages) {
    /** Pass, fail or not run. */
    public enum Status {
      OK,
      FAILED,
      SKIPPED
    }
  }

  /** Everything {@code verify} found. */
  public record Verdict(String summary, List<Finding> findings) {

    public boolean ok() {
      return findings.stream().noneMatch(f -> f.status() == Finding.Status.FAILED);
    }

    /** 0 when every check passed, else the exit code of the first check that failed. */
    public int exitCode() {
      return findings.stream()
          .filter(f -> f.status() == Finding.Status.FAILED)
          .mapToInt(f -> f.check().exitCode())
          .min()
          .orElse(0);
    }

    /** As printed: the summary, one line per check (and per problem), then OK or FAILED. */
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      if (summary != null) {
        out.add(summary);
      }
      for (Finding f : findings) {
        String head = String.format("  %-17s %-6s ", f.check().label(), f.status());
        if (f.messages().isEmpty()) {
          out.add(head.stripTrailing());
        } else {
          out.add(head + f.messages().get(0));
          for (String m : f.messages().subList(1, f.messages().size())) {
            out.add(" ".repeat(head.length()) + m);
          }
        }
      }
      if (ok()) {
        out.add("OK");
      } else {
        List<String> failed = new ArrayList<>();
        findings.stream()
            .filter(f -> f.status() == Finding.Status.FAILED)
            .forEach(f -> failed.add(f.check().label()));
        out.add("FAILED: " + String.join(", ", failed) + " (exit code " + exitCode() + ")");
      }
      return out;
    }
  }

  private final List<Finding> findings = new ArrayList<>();

  private ReportVerifier() {}

  /**
   * Verifies a report.
   *
   * @param reportFile the report's bytes, as written
   * @param key the gateway's public key, obtained from the gateway's operator, not from the report
   * @param laterCheckpoint a later checkpoint file ({@link LaterCheckpoint}), or null
   */
  public static Verdict verify(byte[] reportFile, PublicKey key, byte[] laterCheckpoint) {
    return new ReportVerifier().run(reportFile, key, laterCheckpoint);
  }

  private Verdict run(byte[] file, PublicKey key, byte[] later) {
    Object parsed;
    List<String> signatureProblems = new ArrayList<>();
    try {
      parsed = CanonicalJson.parseCanonical(file);
    } catch (CanonicalJson.NotCanonicalException e) {
      try {
        parsed = CanonicalJson.parse(file);
        signatureProblems.add(
            "the file is not byte for byte what the gateway wrote: " + e.getMessage());
      } catch (CanonicalJson.NotCanonicalException e2) {
        fail(
            Check.SIGNATURE,
            "the file is " + e2.getMessage() + ": it is not the report the gateway signed");
        return new Verdict(null, findings);
      }
    }
    if (!(parsed instanceof Map<?, ?> doc)
        || !(doc.get("report") instanceof Map<?, ?> report)
        || !(doc.get("signature") instanceof Map<?, ?> signature)
        || !ReportBuilder.FORMAT.equals(report.get("format"))) {
      fail(Check.REPORT, "not an onboard report (expected format " + ReportBuilder.FORMAT + ")");
      return new Verdict(null, findings);
    }
    String summary = summary(report);
    checkSignature(report, signature, key, signatureProblems);
    Checkpoint checkpoint = checkCheckpoint(report, key);
    SortedMap<Long, Map<String, Object>> records = checkEvidence(report, checkpoint);
    checkLater(later, checkpoint, key);
    Policy policy = checkPolicy(report);
    checkAwards(report, policy, records);
    return new Verdict(summary, findings);
  }

  private static String summary(Map<?, ?> report) {
    try {
      Map<?, ?> e = Json.map(report, "enterprise", "report");
      Map<?, ?> t = Json.map(report, "totals", "report");
      Map<?, ?> p = Json.map(report, "policy", "report");
      Map<?, ?> c = Json.map(report, "checkpoint", "report");
      return "report of enterprise "
          + e.get("id")
          + (e.get("name") == null ? "" : " (" + e.get("name") + ")")
          + " for "
          + report.get("year")
          + ": "
          + t.get("devices")
          + " devices, "
          + t.get("awardedYuan")
          + " yuan awarded under "
          + p.get("name")
          + "; gateway "
          + report.get("gateway")
          + ", checkpoint of "
          + c.get("treeSize")
          + " records signed "
          + c.get("time");
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void checkSignature(
      Map<?, ?> report, Map<?, ?> signature, PublicKey key, List<String> problems) {
    String expected = GatewayKey.fingerprint(key);
    Object named = signature.get("key");
    if (!"Ed25519".equals(signature.get("algorithm"))) {
      problems.add("the signature's algorithm is " + signature.get("algorithm") + ", not Ed25519");
    }
    if (named != null && !expected.equals(named)) {
      problems.add("the report names signing key " + named + ", but the key given is " + expected);
    }
    byte[] body = CanonicalJson.encode(report);
    byte[] message = new byte[ReportBuilder.SIGNED_PREFIX.length + body.length];
    System.arraycopy(
        ReportBuilder.SIGNED_PREFIX, 0, message, 0, ReportBuilder.SIGNED_PREFIX.length);
    System.arraycopy(body, 0, message, ReportBuilder.SIGNED_PREFIX.length, body.length);
    boolean valid;
    try {
      valid =
          signature.get("value") instanceof String v
              && GatewayKey.verify(key, message, Base64.getDecoder().decode(v));
    } catch (IllegalArgumentException e) {
      valid = false;
    }
    if (!valid) {
      problems.add(
          "the Ed25519 signature does not match the report with the key given: the report was"
              + " changed after it was signed, or another key signed it");
    }
    if (problems.isEmpty()) {
      ok(Check.SIGNATURE, "Ed25519, key " + expected);
    } else {
      problems.forEach(p -> fail(Check.SIGNATURE, p));
    }
  }

  private Checkpoint checkCheckpoint(Map<?, ?> report, PublicKey key) {
    Checkpoint c;
    try {
      c = Checkpoint.fromMap(Json.map(report, "checkpoint", "report"));
    } catch (IllegalArgumentException e) {
      fail(Check.CHECKPOINT, e.getMessage());
      return null;
    }
    boolean good = true;
    if (!c.verify(key)) {
      fail(
          Check.CHECKPOINT,
          "the checkpoint (size "
              + c.treeSize()
              + ", root "
              + c.rootHex()
              + ") is not signed by the key given");
      good = false;
    }
    if (!c.gatewayId().equals(report.get("gateway"))) {
      fail(
          Check.CHECKPOINT,
          "the checkpoint is gateway "
              + c.gatewayId()
              + "'s, the report says gateway "
              + report.get("gateway"));
      good = false;
    }
    if (good) {
      ok(
          Check.CHECKPOINT,
          "gateway " + c.gatewayId() + ", size " + c.treeSize() + ", signed " + c.time());
    }
    return c;
  }

  private SortedMap<Long, Map<String, Object>> checkEvidence(Map<?, ?> report, Checkpoint c) {
    SortedMap<Long, Map<String, Object>> records = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    Map<?, ?> evidence;
    List<?> list;
    Map<?, ?> nodes;
    try {
      evidence = Json.map(report, "evidence", "report");
      list = Json.list(evidence, "records", "evidence");
      nodes = Json.map(evidence, "proofNodes", "evidence");
    } catch (IllegalArgumentException e) {
      fail(Check.EVIDENCE, e.getMessage());
      return records;
    }
    long previous = -1;
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> entry)
          || !(entry.get("index") instanceof Long index)
          || !(entry.get("record") instanceof Map<?, ?> record)) {
        problems.add("evidence.records[" + i + "] is not {index, record}");
        continue;
      }
      if (index <= previous) {
        problems.add(
            "records are not in ledger order: #"
                + index
                + " comes after #"
                + previous
                + " (records were reordered or repeated)");
      }
      previous = Math.max(previous, index);
      @SuppressWarnings("unchecked")
      Map<String, Object> r = (Map<String, Object>) record;
      records.put(index, r);
      if (c == null) {
        continue;
      }
      if (index < 0 || index >= c.treeSize()) {
        problems.add(
            "record #"
                + index
                + " is outside the checkpoint's tree of "
                + c.treeSize()
                + " records");
        continue;
      }
      List<byte[]> proof = new ArrayList<>();
      String missing = null;
      for (long[] range : Merkle.inclusionRanges(index, c.treeSize())) {
        Object hex = nodes.get(range[0] + "-" + range[1]);
        if (!(hex instanceof String h) || !h.matches("[0-9a-f]{64}")) {
          missing = range[0] + "-" + range[1];
          break;
        }
        proof.add(HexFormat.of().parseHex(h));
      }
      if (missing != null) {
        problems.add(
            "record #" + index + " (" + describe(r) + "): proof node " + missing + " is missing");
      } else if (!Merkle.verifyInclusion(
          index, c.treeSize(), Merkle.leafHash(CanonicalJson.encode(r)), proof, c.root())) {
        problems.add(
            "record #"
                + index
                + " ("
                + describe(r)
                + ") is not the ledger's record #"
                + index
                + ": its inclusion proof does not lead to the signed root (the record or a proof"
                + " node was changed)");
      }
    }
    problems.addAll(chains(records));
    try {
      for (Object o : Json.list(report, "devices", "report")) {
        Map<?, ?> row = (Map<?, ?>) o;
        for (Object index : Json.list(row, "records", "device " + row.get("device"))) {
          if (!records.containsKey(index)) {
            problems.add(
                "device "
                    + row.get("device")
                    + " rests on record #"
                    + index
                    + ", which the report does not hold");
          }
        }
      }
    } catch (IllegalArgumentException | ClassCastException e) {
      problems.add("report.devices is malformed: " + e.getMessage());
    }
    if (problems.isEmpty()) {
      ok(
          Check.EVIDENCE,
          records.size()
              + " records, each in the signed tree; no record missing from any device's chains");
    } else {
      failAll(Check.EVIDENCE, problems);
    }
    return records;
  }

  /** Every record links to the previous record of its chain, which the report must hold. */
  private static List<String> chains(SortedMap<Long, Map<String, Object>> records) {
    List<String> problems = new ArrayList<>();
    Map<String, Long> followers = new HashMap<>();
    records.forEach(
        (index, r) -> {
          String key = EvidenceRecorder.chainKey(r);
          if (key == null) {
            problems.add("record #" + index + " is about no device or enterprise");
            return;
          }
          if (!(r.get("prev") instanceof Long prev)) {
            problems.add("record #" + index + " (" + describe(r) + ") has no prev link");
            return;
          }
          if (prev == -1) {
            return;
          }
          Map<String, Object> before = records.get(prev);
          if (prev >= index) {
            problems.add("record #" + index + " links forward to #" + prev);
          } else if (before == null) {
            problems.add(
                "record #"
                    + index
                    + " ("
                    + describe(r)
                    + ") follows record #"
                    + prev
                    + ", which the report does not hold: a record was left out");
          } else if (!key.equals(EvidenceRecorder.chainKey(before))) {
            problems.add(
                "record #"
                    + index
                    + " ("
                    + describe(r)
                    + ") follows record #"
                    + prev
                    + ", which is about something else ("
                    + describe(before)
                    + ")");
          }
          Long other = followers.put(key + "#" + prev, index);
          if (other != null) {
            problems.add("records #" + other + " and #" + index + " both follow record #" + prev);
          }
        });
    return problems;
  }

  private void checkLater(byte[] later, Checkpoint c, PublicKey key) {
    if (later == null) {
      findings.add(
          new Finding(
              Check.LATER_CHECKPOINT,
              Finding.Status.SKIPPED,
              List.of("not given (--later-checkpoint F)")));
      return;
    }
    if (c == null) {
      fail(Check.LATER_CHECKPOINT, "the report's own checkpoint is unreadable");
      return;
    }
    Checkpoint next;
    Map<?, ?> consistency = null;
    try {
      Object parsed = CanonicalJson.parse(later);
      if (!(parsed instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("not a JSON object");
      }
      if (m.containsKey("treeSize")) {
        next = Checkpoint.fromMap(m);
      } else {
        next = Checkpoint.fromMap(Json.map(m, "checkpoint", "file"));
        consistency = m.get("consistency") instanceof Map<?, ?> x ? x : null;
      }
    } catch (CanonicalJson.NotCanonicalException | IllegalArgumentException e) {
      fail(Check.LATER_CHECKPOINT, "the later checkpoint file is unreadable: " + e.getMessage());
      return;
    }
    if (!next.verify(key)) {
      fail(Check.LATER_CHECKPOINT, "the later checkpoint is not signed by the key given");
      return;
    }
    if (!next.gatewayId().equals(c.gatewayId())) {
      fail(
          Check.LATER_CHECKPOINT,
          "the later checkpoint is gateway "
              + next.gatewayId()
              + "'s, not "
              + c.gatewayId()
              + "'s");
      return;
    }
    if (next.treeSize() < c.treeSize()) {
      fail(
          Check.LATER_CHECKPOINT,
          "the later checkpoint has "
              + next.treeSize()
              + " records, fewer than the report's "
              + c.treeSize()
              + ": records were removed since");
      return;
    }
    if (next.treeSize() == c.treeSize()) {
      if (next.rootHex().equals(c.rootHex())) {
        ok(Check.LATER_CHECKPOINT, "the same tree (size " + c.treeSize() + ")");
      } else {
        fail(
            Check.LATER_CHECKPOINT,
            "a checkpoint of the same size with another root: the ledger was rewritten");
      }
      return;
    }
    if (consistency == null) {
      fail(
          Check.LATER_CHECKPOINT,
          "the file has no consistency proof; get one with: onboard checkpoint --config F --since "
              + c.treeSize());
      return;
    }
    List<byte[]> proof = new ArrayList<>();
    try {
      if (Json.number(consistency, "fromSize", "consistency") != c.treeSize()) {
        fail(
            Check.LATER_CHECKPOINT,
            "the consistency proof starts at size "
                + consistency.get("fromSize")
                + ", the report's checkpoint has "
                + c.treeSize()
                + "; get one with --since "
                + c.treeSize());
        return;
      }
      for (Object h : Json.list(consistency, "proof", "consistency")) {
        proof.add(HexFormat.of().parseHex(String.valueOf(h)));
      }
    } catch (IllegalArgumentException e) {
      fail(Check.LATER_CHECKPOINT, "the consistency proof is malformed: " + e.getMessage());
      return;
    }
    if (Merkle.verifyConsistency(c.treeSize(), next.treeSize(), c.root(), next.root(), proof)) {
      ok(
          Check.LATER_CHECKPOINT,
          "the tree of "
              + c.treeSize()
              + " records is a prefix of the later tree of "
              + next.treeSize()
              + " signed "
              + next.time()
              + ": nothing was rewritten since");
    } else {
      fail(
          Check.LATER_CHECKPOINT,
          "the later checkpoint (size "
              + next.treeSize()
              + ", signed "
              + next.time()
              + ") does not extend the report's tree: the ledger was rewritten after the report");
    }
  }

  private Policy checkPolicy(Map<?, ?> report) {
    Map<?, ?> described;
    try {
      described = Json.map(report, "policy", "report");
    } catch (IllegalArgumentException e) {
      fail(Check.POLICY, e.getMessage());
      return null;
    }
    String name = String.valueOf(described.get("name"));
    Policy builtin = BuiltinPolicies.byName(name).orElse(null);
    if (builtin != null) {
      Map<String, Object> expected;
      try {
        expected = PolicyParameters.describe(builtin);
      } catch (IllegalArgumentException e) {
        fail(Check.POLICY, e.getMessage());
        return null;
      }
      List<String> diff = diff("policy", expected, described, "the built-in has");
      if (diff.isEmpty()) {
        ok(Check.POLICY, name + " (built in), version " + described.get("version"));
        return builtin;
      }
      List<String> problems = new ArrayList<>();
      problems.add(
          "the report uses the built-in name "
              + name
              + " for rules that differ from the built-in policy:");
      problems.addAll(diff);
      failAll(Check.POLICY, problems);
      return builtin;
    }
    try {
      Policy p = PolicyParameters.fromDescription(described);
      List<String> diff =
          diff("policy", PolicyParameters.describe(p), described, "its parameters give");
      if (!diff.isEmpty()) {
        List<String> problems = new ArrayList<>();
        problems.add("the policy's parameters are not consistent (or its version is not theirs):");
        problems.addAll(diff);
        failAll(Check.POLICY, problems);
      } else {
        ok(
            Check.POLICY,
            name
                + " is not a built-in policy: its every parameter is in the report, version "
                + described.get("version"));
      }
      return p;
    } catch (RuntimeException e) {
      fail(Check.POLICY, "the policy cannot be read: " + e.getMessage());
      return null;
    }
  }

  private void checkAwards(
      Map<?, ?> report, Policy policy, SortedMap<Long, Map<String, Object>> records) {
    if (policy == null) {
      findings.add(
          new Finding(Check.AWARDS, Finding.Status.SKIPPED, List.of("no policy to meter with")));
      return;
    }
    ReportMeter.Result r;
    String enterprise;
    int year;
    try {
      enterprise = Json.string(Json.map(report, "enterprise", "report"), "id", "enterprise");
      year = (int) Json.number(report, "year", "report");
      r = ReportMeter.meter(policy, year, enterprise, EvidenceSet.of(records));
    } catch (RuntimeException e) {
      fail(Check.AWARDS, "the meter cannot run on the report's records: " + e.getMessage());
      return;
    }
    List<String> problems = new ArrayList<>();
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("enterprise", r.enterprise());
    expected.put("asOf", r.asOf());
    expected.put("evidenceUntil", r.evidenceUntil());
    expected.put("otherYears", r.otherYears());
    expected.put("totals", r.totals());
    for (Map.Entry<String, Object> e : expected.entrySet()) {
      problems.addAll(diff(e.getKey(), e.getValue(), report.get(e.getKey())));
    }
    Map<Object, Map<?, ?>> shown = new TreeMap<>();
    Object devices = report.get("devices");
    if (devices instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> row) {
          shown.put(String.valueOf(row.get("device")), row);
        }
      }
    }
    Map<Object, Map<String, Object>> computed = new TreeMap<>();
    r.devices().forEach(row -> computed.put(row.get("device"), row));
    for (Object device : new TreeSet<>(union(shown.keySet(), computed.keySet()))) {
      Map<?, ?> a = shown.get(device);
      Map<String, Object> b = computed.get(device);
      if (a == null) {
        problems.add(
            "row "
                + device
                + " is missing: the meter gives it "
                + b.get("status")
                + ", "
                + b.get("awardYuan")
                + " yuan");
      } else if (b == null) {
        problems.add("row " + device + " is in the report, but the meter gives no such row");
      } else {
        problems.addAll(diff("row " + device, b, a));
      }
    }
    if (problems.isEmpty()) {
      ok(
          Check.AWARDS,
          computed.size()
              + " rows and the totals recomputed by the meter from the records: all as reported");
    } else {
      failAll(Check.AWARDS, problems);
    }
  }

  private static List<Object> union(Set<Object> a, Set<Object> b) {
    List<Object> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * Where {@code shown} differs from {@code expected}: for maps, key by key (one level deep), each
   * as "where.key: the report says X, the meter gives Y".
   */
  private static List<String> diff(String where, Object expected, Object shown) {
    return diff(where, expected, shown, "the meter gives");
  }

  private static List<String> diff(String where, Object expected, Object shown, String whoSays) {
    List<String> out = new ArrayList<>();
    if (expected instanceof Map<?, ?> e && shown instanceof Map<?, ?> s) {
      TreeSet<String> keys = new TreeSet<>();
      for (Object k : e.keySet()) {
        keys.add(String.valueOf(k));
      }
      for (Object k : s.keySet()) {
        keys.add(String.valueOf(k));
      }
      for (Object k : keys) {
        String x = encode(e.get(k));
        String y = encode(s.get(k));
        if (!x.equals(y)) {
          out.add(
              where + "." + k + ": the report says " + clip(y) + ", " + whoSays + " " + clip(x));
        }
      }
      return out;
    }
    String x = encode(expected);
    String y = encode(shown);
    if (!x.equals(y)) {
      out.add(where + ": the report says " + clip(y) + ", " + whoSays + " " + clip(x));
    }
    return out;
  }

  private static String encode(Object v) {
    try {
      return new String(CanonicalJson.encode(v), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return String.valueOf(v);
    }
  }

  private static String clip(String s) {
    return s.length() <= 160 ? s : s.substring(0, 157) + "...";
  }

  private static String describe(Map<?, ?> r) {
    String type = String.valueOf(r.get("type"));
    Object subject = "enterprise".equals(type) ? r.get("enterprise") : r.get("device");
    Object when = r.containsKey("periodStart") ? r.get("periodStart") : r.get("at");
    return type + " " + subject + (when == null ? "" : " " + when);
  }

  private void ok(Check check, String message) {
    findings.add(new Finding(check, Finding.Status.OK, List.of(message)));
  }

  private void fail(Check check, String message) {
    failAll(check, List.of(message));
  }

  private void failAll(Check check, List<String> messages) {
    List<String> shown =
        new ArrayList<>(messages.subList(0, Math.min(MAX_MESSAGES, messages.size())));
    if (messages.size() > MAX_MESSAGES) {
      shown.add("... and " + (messages.size() - MAX_MESSAGES) + " more");
    }
    for (int i = 0; i < findings.size(); i++) {
      Finding f = findings.get(i);
      if (f.check() == check && f.status() == Finding.Status.FAILED) {
        List<String> all = new ArrayList<>(f.messages());
        all.addAll(shown);
        findings.set(i, new Finding(check, Finding.Status.FAILED, all));
        return;
      }
    }
    findings.add(new Finding(check, Finding.Status.FAILED, shown));
  }
}
