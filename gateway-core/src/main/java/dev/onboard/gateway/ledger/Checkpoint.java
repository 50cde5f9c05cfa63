package dev.onboard.gateway.ledger;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signed statement of the ledger's state: "gateway G's log had N records with root R at time T".
 * Signed with the gateway's Ed25519 key over {@link #signedBytes()}, a fixed text form an auditor
 * can rebuild from the four values. Immutable.
 *
 * @param gatewayId the gateway
 * @param treeSize records in the log
 * @param rootHex the RFC 6962 root of those records, lower-case hex
 * @param time when it was signed
 * @param signatureBase64 the Ed25519 signature of {@link #signedBytes()}
 */
public record Checkpoint(
    String gatewayId, long treeSize, String rootHex, Instant time, String signatureBase64) {

  /** What is signed: {@code onboard-checkpoint/v1\ngateway\nsize\nroot\ntime\n}. */
  public byte[] signedBytes() {
    return signedBytes(gatewayId, treeSize, rootHex, time);
  }

  static byte[] signedBytes(String gatewayId, long treeSize, String rootHex, Instant time) {
    return ("onboard-checkpoint/v1\n"
            + gatewayId
            + "\n"
            + treeSize
            + "\n"
            + rootHex
            + "\n"
            + time
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Signs a checkpoint. The time is cut to the millisecond, the precision the central store keeps
   * ({@code ledger_checkpoint}), so a checkpoint read back from it verifies.
   */
  static Checkpoint sign(GatewayKey key, String gatewayId, long treeSize, byte[] root, Instant at) {
    Instant time = at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    String rootHex = HexFormat.of().formatHex(root);
    byte[] signature = key.sign(signedBytes(gatewayId, treeSize, rootHex, time));
    return new Checkpoint(
        gatewayId, treeSize, rootHex, time, Base64.getEncoder().encodeToString(signature));
  }

  public boolean verify(PublicKey key) {
    try {
      return GatewayKey.verify(key, signedBytes(), Base64.getDecoder().decode(signatureBase64));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public byte[] root() {
    return HexFormat.of().parseHex(rootHex);
  }

  /**
   * Reads a checkpoint from its {@link #toMap()} form.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  public static Checkpoint fromMap(Map<?, ?> m) {
    Object gateway = m.get("gateway");
    Object size = m.get("treeSize");
    Object root = m.get("root");
    Object time = m.get("time");
    Object signature = m.get("signature");
    if (!(gateway instanceof String g)) {
      throw new IllegalArgumentException("checkpoint.gateway is missing");
    }
    if (!(size instanceof Number n) || n.longValue() < 0) {
      throw new IllegalArgumentException("checkpoint.treeSize is not a size");
    }
    if (!(root instanceof String r) || !r.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("checkpoint.root is not 64 lower-case hex digits");
    }
    if (!(signature instanceof String sig)) {
      throw new IllegalArgumentException("checkpoint.signature is missing");
    }
    Instant at;
    try {
      at = Instant.parse(String.valueOf(time));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("checkpoint.time is not an ISO-8601 instant: " + time);
    }
    return new Checkpoint(g, n.longValue(), r, at, sig);
  }

  /** As a JSON-ready map, in the order a person reads it. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gateway", gatewayId);
    m.put("treeSize", treeSize);
    m.put("root", rootHex);
    m.put("time", time.toString());
    m.put("signature", signatureBase64);
    return m;
  }
}
