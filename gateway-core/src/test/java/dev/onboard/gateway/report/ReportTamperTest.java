package dev.onboard.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.gateway.ledger.CanonicalJson;
import dev.onboard.gateway.ledger.Checkpoint;
import dev.onboard.gateway.ledger.GatewayKey;
import dev.onboard.gateway.ledger.Ledger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tampering with a report, or with the ledger under it, makes {@code verify} fail, name what failed
 * and exit with that check's code. "Re-signed" cases play a gateway that lies with its own key:
 * only the signed checkpoint, the chains and the meter can give it away.
 */
class ReportTamperTest {

  @TempDir Path dir;
  private ReportFixture fixture;
  private byte[] original;

  @BeforeEach
  void write() throws Exception {
    fixture = new ReportFixture(dir).write();
    original = fixture.report().json();
  }

  private ReportVerifier.Verdict verify(byte[] report) {
    return ReportVerifier.verify(report, fixture.key.publicKey(), null);
  }

  private static String text(ReportVerifier.Verdict v) {
    return String.join("\n", v.lines());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> report() throws Exception {
    return (Map<String, Object>)
        ((Map<String, Object>) CanonicalJson.parse(original)).get("report");
  }

  private byte[] resign(Map<String, Object> report) {
    return ReportBuilder.sign(report, fixture.key).json();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> records(Map<String, Object> report) {
    return (List<Map<String, Object>>)
        ((Map<String, Object>) report.get("evidence")).get("records");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> record(Map<String, Object> entry) {
    return (Map<String, Object>) entry.get("record");
  }

  /** The position in the records list of device's n-th record of type. */
  private static int find(Map<String, Object> report, String device, String type, int n) {
    List<Map<String, Object>> records = records(report);
    int seen = 0;
    for (int i = 0; i < records.size(); i++) {
      Map<String, Object> r = record(records.get(i));
      if (device.equals(r.get("device")) && type.equals(r.get("type")) && seen++ == n) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " #" + n + " of " + device);
  }

  @Test
  void the_untouched_report_verifies() {
    assertThat(verify(original).exitCode()).isZero();
  }

  @Test
  void one_changed_byte_of_the_report_fails_the_signature_and_the_changed_row_is_named() {
    String json = new String(original, StandardCharsets.UTF_8);
    String changed = json.replaceFirst("\"awardYuan\":\"1800.00\"", "\"awardYuan\":\"1900.00\"");
    assertThat(changed).isNotEqualTo(json);
    ReportVerifier.Verdict v = verify(changed.getBytes(StandardCharsets.UTF_8));
    assertThat(v.exitCode()).isEqualTo(3);
    assertThat(text(v))
        .contains("signature         FAILED the Ed25519 signature does not match the report")
        .contains("row cnc-01.awardYuan: the report says \"1900.00\", the meter gives \"1800.00\"")
        .endsWith("FAILED: signature, awards (exit code 3)");
  }

  @Test
  void any_one_byte_changed_anywhere_in_the_report_fails_verify() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      byte[] copy = original.clone();
      int at = random.nextInt(copy.length);
      copy[at] = (byte) (copy[at] ^ (1 << random.nextInt(7)));
      ReportVerifier.Verdict v = verify(copy);
      assertThat(v.ok()).as("byte %d changed", at).isFalse();
      assertThat(v.exitCode()).as("byte %d changed", at).isIn(1, 3);
    }
  }

  @Test
  void a_changed_ledger_record_in_a_re_signed_report_is_named_by_its_proof() throws Exception {
    Map<String, Object> report = report();
    Map<String, Object> entry = records(report).get(find(report, "cnc-06", "summary", 1));
    record(entry).put("onlineMs", 300_000L);
    ReportVerifier.Verdict v = verify(resign(report));
    assertThat(v.exitCode()).isEqualTo(5);
    long index = (Long) entry.get("index");
    assertThat(text(v))
        .contains("signature         OK")
        .contains(
            "record #"
                + index
                + " (summary cnc-06 2026-03-02T00:05:00Z) is not the ledger's record #"
                + index
                + ": its inclusion proof does not lead to the signed root");
  }

  @Test
  void a_dropped_record_is_named_by_the_chain_that_leads_to_it() throws Exception {
    Map<String, Object> report = report();
    int at = find(report, "cnc-03", "summary", 2);
    Map<String, Object> dropped = records(report).remove(at);
    long index = (Long) dropped.get("index");
    for (Object row : (List<?>) report.get("devices")) {
      ((List<?>) ((Map<?, ?>) row).get("records")).remove(Long.valueOf(index));
    }
    ReportVerifier.Verdict v = verify(resign(report));
    assertThat(v.exitCode()).isEqualTo(5);
    assertThat(text(v))
        .containsPattern(
            "record #\\d+ \\(summary cnc-03 2026-03-02T00:15:00Z\\) follows record #"
                + index
                + ", which the report does not hold: a record was left out");
  }

  @Test
  void two_reordered_records_are_named() throws Exception {
    Map<String, Object> report = report();
    List<Map<String, Object>> records = records(report);
    int a = find(report, "cnc-01", "summary", 0);
    int b = find(report, "cnc-01", "summary", 1);
    Map<String, Object> first = records.get(a);
    records.set(a, records.get(b));
    records.set(b, first);
    ReportVerifier.Verdict moved = verify(resign(report));
    assertThat(moved.exitCode()).isEqualTo(5);
    assertThat(text(moved))
        .containsPattern("records are not in ledger order: #\\d+ comes after #\\d+");

    // The same two records with their contents exchanged but their indices kept.
    Map<String, Object> again = report();
    List<Map<String, Object>> list = records(again);
    Object x = list.get(a).get("record");
    list.get(a).put("record", list.get(b).get("record"));
    list.get(b).put("record", x);
    ReportVerifier.Verdict swapped = verify(resign(again));
    assertThat(swapped.exitCode()).isEqualTo(5);
    assertThat(text(swapped))
        .contains("(summary cnc-01 2026-03-02T00:05:00Z) is not the ledger's record")
        .contains("(summary cnc-01 2026-03-02T00:00:00Z) is not the ledger's record");
  }

  @Test
  void another_key_fails_the_signature_and_the_checkpoint_and_says_which_key_signed()
      throws Exception {
    GatewayKey other = GatewayKey.loadOrCreate(dir.resolve("other-keys"));
    ReportVerifier.Verdict v = ReportVerifier.verify(original, other.publicKey(), null);
    assertThat(v.exitCode()).isEqualTo(3);
    assertThat(text(v))
        .contains(
            "the report names signing key "
                + GatewayKey.fingerprint(fixture.key.publicKey())
                + ", but the key given is "
                + GatewayKey.fingerprint(other.publicKey()))
        .contains("checkpoint        FAILED the checkpoint (size 114")
        .contains("is not signed by the key given");
  }

  @Test
  void an_award_the_meter_does_not_give_is_named_even_when_re_signed() throws Exception {
    Map<String, Object> report = report();
    @SuppressWarnings("unchecked")
    Map<String, Object> row = (Map<String, Object>) ((List<?>) report.get("devices")).get(8);
    assertThat(row.get("device")).isEqualTo("cnc-09");
    row.put("status", "AWARDED");
    row.put("awardYuan", "500.00");
    ReportVerifier.Verdict v = verify(resign(report));
    assertThat(v.exitCode()).isEqualTo(8);
    assertThat(text(v))
        .contains("row cnc-09.awardYuan: the report says \"500.00\", the meter gives \"0.00\"")
        .contains("row cnc-09.status: the report says \"AWARDED\", the meter gives \"CAPPED\"");
  }

  @Test
  void a_built_in_policy_name_on_other_rules_is_named() throws Exception {
    Map<String, Object> report = report();
    @SuppressWarnings("unchecked")
    Map<String, Object> policy = (Map<String, Object>) report.get("policy");
    policy.put("name", "huangpu-device-2019");
    ReportVerifier.Verdict v = verify(resign(report));
    assertThat(v.exitCode()).isEqualTo(7);
    assertThat(text(v))
        .contains(
            "the report uses the built-in name huangpu-device-2019 for rules that differ from the"
                + " built-in policy:")
        .contains("policy.parameters: the report says");
  }

  @Test
  void a_ledger_record_changed_on_disk_stops_the_report() throws Exception {
    Path log = dir.resolve("ledger/records.log");
    byte[] bytes = Files.readAllBytes(log);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("\"onlineMs\":30000");
    assertThat(at).isPositive();
    bytes[at + "\"onlineMs\":".length()] = '6';
    fixCrcs(bytes);
    Files.write(log, bytes);
    assertThatThrownBy(() -> fixture.report())
        .hasMessageContaining("does not match its last signed checkpoint");
  }

  @Test
  void a_later_checkpoint_shows_the_ledger_grew_and_a_rewritten_ledger_is_caught()
      throws Exception {
    Checkpoint reported;
    byte[] later;
    try (Ledger ledger = fixture.openLedger()) {
      reported = ledger.latestCheckpoint().orElseThrow();
      ledger.append(List.of(Map.of("type", "flag", "device", "cnc-01", "prev", -1L)));
      ledger.checkpoint();
      later = LaterCheckpoint.build(ledger, reported.treeSize());
    }
    ReportVerifier.Verdict v = ReportVerifier.verify(original, fixture.key.publicKey(), later);
    assertThat(v.exitCode()).isZero();
    assertThat(text(v))
        .contains("later checkpoint  OK     the tree of 114 records is a prefix of the later tree");

    // The gateway's owner rewrites one old record and signs again with the gateway's own key.
    Path forgedDir = dir.resolve("forged");
    try (Ledger real = Ledger.openReadOnly(dir.resolve("ledger"));
        Ledger forged = Ledger.open(forgedDir, "gw-1", fixture.key, fixture.clock)) {
      for (long i = 0; i < real.size(); i++) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) CanonicalJson.parse(real.record(i));
        if (i == 40) {
          r.put("forged", true);
        }
        forged.append(List.of(r));
      }
      forged.checkpoint();
      byte[] rewritten = LaterCheckpoint.build(forged, reported.treeSize());
      ReportVerifier.Verdict caught =
          ReportVerifier.verify(original, fixture.key.publicKey(), rewritten);
      assertThat(caught.exitCode()).isEqualTo(6);
      assertThat(text(caught))
          .contains("does not extend the report's tree: the ledger was rewritten after the report");
    }
  }

  private static void fixCrcs(byte[] log) {
    ByteBuffer b = ByteBuffer.wrap(log);
    int pos = 0;
    while (pos + 8 <= log.length) {
      int length = b.getInt(pos);
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(log, pos + 8, length);
      b.putInt(pos + 4, (int) crc.getValue());
      pos += 8 + length;
    }
  }
}
