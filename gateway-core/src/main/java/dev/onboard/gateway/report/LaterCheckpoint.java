package dev.onboard.gateway.report;

import dev.onboard.gateway.ledger.CanonicalJson;
import dev.onboard.gateway.ledger.Checkpoint;
import dev.onboard.gateway.ledger.Ledger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A later checkpoint with the RFC 6962 consistency proof from an earlier tree size: what {@code
 * verify --later-checkpoint} needs to show that the ledger a report came from is a prefix of the
 * ledger as it is later — nothing in it was rewritten since the report.
 *
 * <p>As a file: {@code {"format": "onboard-checkpoint/1", "checkpoint": {...}, "consistency":
 * {"fromSize": N, "proof": [hex, ...]}}} in canonical JSON.
 */
public final class LaterCheckpoint {

  public static final String FORMAT = "onboard-checkpoint/1";

  private LaterCheckpoint() {}

  /**
   * The ledger's latest checkpoint with the consistency proof from {@code fromSize}.
   *
   * @throws ReportException when there is no checkpoint, or it is older than {@code fromSize}
   */
  public static byte[] build(Ledger ledger, long fromSize) throws ReportException {
    Checkpoint c =
        ledger
            .latestCheckpoint()
            .orElseThrow(() -> new ReportException("the ledger has no signed checkpoint yet"));
    if (fromSize < 1 || fromSize > c.treeSize()) {
      throw new ReportException(
          "the latest checkpoint covers "
              + c.treeSize()
              + " records; a consistency proof can start at 1 to "
              + c.treeSize()
              + ", not "
              + fromSize);
    }
    List<Object> proof = new ArrayList<>();
    for (byte[] h : ledger.consistencyProof(fromSize, c.treeSize())) {
      proof.add(HexFormat.of().formatHex(h));
    }
    Map<String, Object> consistency = new LinkedHashMap<>();
    consistency.put("fromSize", fromSize);
    consistency.put("proof", proof);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("format", FORMAT);
    doc.put("checkpoint", c.toMap());
    doc.put("consistency", consistency);
    byte[] json = CanonicalJson.encode(doc);
    byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
    out[json.length] = '\n';
    return out;
  }
}
