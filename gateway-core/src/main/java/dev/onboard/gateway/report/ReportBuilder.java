package dev.onboard.gateway.report;

import dev.onboard.gateway.ledger.CanonicalJson;
import dev.onboard.gateway.ledger.Checkpoint;
import dev.onboard.gateway.ledger.EvidenceRecorder;
import dev.onboard.gateway.ledger.GatewayKey;
import dev.onboard.gateway.ledger.Ledger;
import dev.onboard.gateway.ledger.Merkle;
import dev.onboard.meter.policy.Policy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds the signed report of one enterprise for one year from the evidence ledger, as of its
 * latest signed checkpoint.
 *
 * <p>The report carries every record it rests on, whole: all records about the enterprise's devices
 * (each device's inventory, identity, state, flag and summary chains from their first record), the
 * enterprise's own records, and the inventory and identity records of any other enterprise's device
 * that reported the same identity as one of them. With each record goes its RFC 6962 inclusion
 * proof against the checkpoint; the proofs' hashes are stored once, by the leaf range they cover
 * ({@code evidence.proofNodes}, keyed {@code "from-to"}), and {@code verify} rebuilds each proof
 * from them with {@link Merkle#inclusionRanges}.
 *
 * <p>The document is {@code {"report": {...}, "signature": {...}}} in canonical JSON; the signature
 * is Ed25519 over {@code "onboard-report/1\n"} followed by the canonical bytes of {@code report}.
 *
 * <p>Stateless and thread-safe; the ledger is read under its own lock, record by record.
 */
public final class ReportBuilder {

  /** The value of {@code report.format}. */
  public static final String FORMAT = "onboard-report/1";

  static final byte[] SIGNED_PREFIX = (FORMAT + "\n").getBytes(StandardCharsets.UTF_8);

  private ReportBuilder() {}

  /**
   * @param ledger the ledger, open (read-only is enough)
   * @param key the gateway's key, to sign the report
   * @param policy the per-device policy to meter with
   * @param generatedAt when the report is made (shown, not checked)
   * @param generator the software that made it (shown, not checked)
   */
  public static SignedReport build(
      Ledger ledger,
      GatewayKey key,
      Policy policy,
      String enterpriseId,
      int year,
      Instant generatedAt,
      String generator)
      throws ReportException, IOException {
    if (year < 2000 || year > 9999) {
      throw new ReportException("year " + year + " is not a calendar year such as 2026");
    }
    Checkpoint checkpoint =
        ledger
            .latestCheckpoint()
            .orElseThrow(
                () ->
                    new ReportException(
                        "the ledger has no signed checkpoint yet: the gateway signs one at the end"
                            + " of each summary period (ledger.summaryPeriod); run it that long"
                            + " first"));
    long size = checkpoint.treeSize();
    SortedMap<Long, Map<String, Object>> selected = select(ledger, size, enterpriseId);
    EvidenceSet evidence = EvidenceSet.of(selected);
    if (evidence.devicesOf(enterpriseId).isEmpty()
        && evidence.latestEnterprise(enterpriseId) == null) {
      throw new ReportException(
          "enterprise '"
              + enterpriseId
              + "' has no evidence in the ledger; it holds "
              + enterprises(ledger, size));
    }
    ReportMeter.Result result;
    try {
      result = ReportMeter.meter(policy, year, enterpriseId, evidence);
    } catch (IllegalArgumentException e) {
      throw new ReportException("cannot meter the ledger's records: " + e.getMessage(), e);
    }

    Merkle.Hasher hasher = new Merkle.Hasher(ledger.leafHashes(size));
    Map<String, Object> nodes = new TreeMap<>();
    List<Object> records = new ArrayList<>();
    for (Map.Entry<Long, Map<String, Object>> e : selected.entrySet()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("index", e.getKey());
      r.put("record", e.getValue());
      records.add(r);
      for (long[] range : Merkle.inclusionRanges(e.getKey(), size)) {
        nodes.computeIfAbsent(
            range[0] + "-" + range[1],
            k -> HexFormat.of().formatHex(hasher.root(range[0], range[1])));
      }
    }
    Map<String, Object> evidenceBlock = new LinkedHashMap<>();
    evidenceBlock.put("records", records);
    evidenceBlock.put("proofNodes", nodes);

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("format", FORMAT);
    report.put("generator", generator);
    report.put("gateway", checkpoint.gatewayId());
    report.put("generatedAt", generatedAt.toString());
    report.put("enterprise", result.enterprise());
    report.put("year", (long) year);
    report.put("asOf", result.asOf());
    report.put("evidenceUntil", result.evidenceUntil());
    report.put("policy", PolicyParameters.describe(policy));
    report.put("checkpoint", checkpoint.toMap());
    report.put("devices", result.devices());
    report.put("otherYears", result.otherYears());
    report.put("totals", result.totals());
    report.put("evidence", evidenceBlock);
    return sign(report, key);
  }

  /** Signs {@code report} and wraps it with its signature. */
  static SignedReport sign(Map<String, Object> report, GatewayKey key) {
    byte[] body = CanonicalJson.encode(report);
    byte[] message = new byte[SIGNED_PREFIX.length + body.length];
    System.arraycopy(SIGNED_PREFIX, 0, message, 0, SIGNED_PREFIX.length);
    System.arraycopy(body, 0, message, SIGNED_PREFIX.length, body.length);
    Map<String, Object> signature = new LinkedHashMap<>();
    signature.put("algorithm", "Ed25519");
    signature.put("key", GatewayKey.fingerprint(key.publicKey()));
    signature.put("value", Base64.getEncoder().encodeToString(key.sign(message)));
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("report", report);
    document.put("signature", signature);
    return new SignedReport(document);
  }

  /** The records the report rests on: two passes, so only those records are held in memory. */
  private static SortedMap<Long, Map<String, Object>> select(
      Ledger ledger, long size, String enterpriseId) throws IOException {
    Map<String, String> enterpriseOf = new HashMap<>();
    Map<String, Map<String, String>> identityOf = new HashMap<>();
    for (long i = 0; i < size; i++) {
      Map<String, Object> r = record(ledger, i);
      Object type = r.get("type");
      if (!(r.get("device") instanceof String device)) {
        continue;
      }
      if ("inventory".equals(type) && r.get("enterprise") instanceof String e) {
        enterpriseOf.put(device, e);
      } else if ("identity".equals(type) && r.get("attributes") instanceof Map<?, ?> a) {
        @SuppressWarnings("unchecked")
        Map<String, String> attributes = (Map<String, String>) a;
        identityOf.put(device, attributes);
      }
    }
    Set<String> own = new HashSet<>();
    enterpriseOf.forEach(
        (device, e) -> {
          if (e.equals(enterpriseId)) {
            own.add(device);
          }
        });
    Set<String> ownKeys = new HashSet<>();
    for (String device : own) {
      String k = key(identityOf.get(device));
      if (k != null) {
        ownKeys.add(k);
      }
    }
    Set<String> foreign = new HashSet<>();
    enterpriseOf.forEach(
        (device, e) -> {
          if (!own.contains(device) && ownKeys.contains(key(identityOf.get(device)))) {
            foreign.add(device);
          }
        });
    SortedMap<Long, Map<String, Object>> out = new TreeMap<>();
    for (long i = 0; i < size; i++) {
      Map<String, Object> r = record(ledger, i);
      Object type = r.get("type");
      Object device = r.get("device");
      boolean wanted =
          own.contains(device)
              || ("enterprise".equals(type) && enterpriseId.equals(r.get("enterprise")))
              || (foreign.contains(device)
                  && ("inventory".equals(type) || "identity".equals(type)));
      if (wanted && EvidenceRecorder.chainKey(r) != null) {
        out.put(i, r);
      }
    }
    return out;
  }

  private static String key(Map<String, String> attributes) {
    return attributes == null || attributes.isEmpty()
        ? null
        : dev.onboard.gateway.liveness.IdentityRegistry.key(
            new dev.onboard.gateway.spi.DeviceIdentity(attributes));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> record(Ledger ledger, long index) throws IOException {
    Object v = CanonicalJson.parse(ledger.record(index));
    if (!(v instanceof Map<?, ?>)) {
      throw new IOException("ledger record #" + index + " is not a JSON object");
    }
    return (Map<String, Object>) v;
  }

  private static List<String> enterprises(Ledger ledger, long size) throws IOException {
    Set<String> ids = new java.util.TreeSet<>();
    for (long i = 0; i < size; i++) {
      Map<String, Object> r = record(ledger, i);
      if (("inventory".equals(r.get("type")) || "enterprise".equals(r.get("type")))
          && r.get("enterprise") instanceof String e) {
        ids.add(e);
      }
    }
    return List.copyOf(ids);
  }
}
