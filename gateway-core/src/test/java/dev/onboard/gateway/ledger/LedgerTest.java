package dev.onboard.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.gateway.testkit.MovableClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {

  @TempDir Path dir;
  private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T01:00:00Z"));

  private Ledger open() throws IOException {
    return Ledger.open(
        dir.resolve("ledger"), "gw-1", GatewayKey.loadOrCreate(dir.resolve("keys")), clock);
  }

  private static List<Map<String, Object>> hourly(int from, int count) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(
          Map.of(
              "type",
              "hourly",
              "device",
              "cnc-" + i,
              "onlineSeconds",
              3600L - i,
              "goodSamples",
              7200L));
    }
    return out;
  }

  @Test
  void records_are_canonical_json_and_the_same_record_always_has_the_same_bytes() {
    assertThat(
            new String(
                CanonicalJson.encode(
                    Map.of("b", 1L, "a", List.of("x\"y", true), "c", Map.of("z", "中"))),
                StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":[\"x\\\"y\",true],\"b\":1,\"c\":{\"z\":\"中\"}}");
    assertThatThrownBy(() -> CanonicalJson.encode(Map.of("ratio", 0.5)))
        .hasMessageContaining("not canonical JSON");
  }

  @Test
  void a_checkpoint_signs_the_root_and_verifies_with_the_public_key_alone() throws Exception {
    try (Ledger l = open()) {
      l.append(hourly(0, 5));
      Checkpoint c = l.checkpoint();
      assertThat(c.treeSize()).isEqualTo(5);
      assertThat(c.verify(GatewayKey.readPublicKey(dir.resolve("keys/gateway-ed25519.pub"))))
          .isTrue();
      Checkpoint forged =
          new Checkpoint(c.gatewayId(), 4, c.rootHex(), c.time(), c.signatureBase64());
      assertThat(forged.verify(l.key().publicKey())).isFalse();
    }
  }

  @Test
  void every_record_has_an_inclusion_proof_against_the_signed_root() throws Exception {
    try (Ledger l = open()) {
      l.append(hourly(0, 13));
      Checkpoint c = l.checkpoint();
      for (int i = 0; i < 13; i++) {
        assertThat(
                Merkle.verifyInclusion(
                    i,
                    c.treeSize(),
                    Merkle.leafHash(l.record(i)),
                    l.inclusionProof(i, c.treeSize()),
                    c.root()))
            .isTrue();
      }
      l.append(hourly(13, 7));
      Checkpoint later = l.checkpoint();
      assertThat(
              Merkle.verifyConsistency(13, 20, c.root(), later.root(), l.consistencyProof(13, 20)))
          .isTrue();
    }
  }

  @Test
  void records_and_checkpoints_survive_a_reopen() throws Exception {
    Checkpoint c;
    try (Ledger l = open()) {
      l.append(hourly(0, 3));
      c = l.checkpoint();
    }
    try (Ledger l = open()) {
      assertThat(l.size()).isEqualTo(3);
      assertThat(l.latestCheckpoint()).contains(c);
      assertThat(new String(l.record(2), StandardCharsets.UTF_8)).contains("\"device\":\"cnc-2\"");
    }
  }

  @Test
  void a_torn_record_at_the_end_is_cut_off_and_signed_records_are_kept() throws Exception {
    try (Ledger l = open()) {
      l.append(hourly(0, 4));
      l.checkpoint();
    }
    Path log = dir.resolve("ledger/records.log");
    try (FileChannel ch =
        FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.allocate(20).putInt(200).putInt(7).put(new byte[12]).flip());
    }
    try (Ledger l = open()) {
      assertThat(l.tornRecords()).isEqualTo(1);
      assertThat(l.size()).isEqualTo(4);
      l.append(hourly(4, 1));
      assertThat(l.size()).isEqualTo(5);
    }
  }

  @Test
  void a_changed_record_under_a_signed_checkpoint_stops_the_ledger_from_opening() throws Exception {
    try (Ledger l = open()) {
      l.append(hourly(0, 4));
      l.checkpoint();
    }
    Path log = dir.resolve("ledger/records.log");
    byte[] bytes = Files.readAllBytes(log);
    String text =
        new String(bytes, StandardCharsets.ISO_8859_1)
            .replace("\"onlineSeconds\":3598", "\"onlineSeconds\":3599");
    byte[] changed = text.getBytes(StandardCharsets.ISO_8859_1);
    // Keep each CRC valid, as a careful forger would: only the signed root can give it away.
    fixCrcs(changed);
    Files.write(log, changed);
    assertThatThrownBy(this::open)
        .hasMessageContaining("does not match its last signed checkpoint")
        .hasMessageContaining("do not delete it");
  }

  @Test
  void the_private_key_is_created_readable_by_its_owner_only_and_refused_when_others_can_read_it()
      throws Exception {
    GatewayKey.loadOrCreate(dir.resolve("keys"));
    Path key = dir.resolve("keys/gateway-ed25519.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> GatewayKey.loadOrCreate(dir.resolve("keys")))
        .hasMessageContaining("is readable by others")
        .hasMessageEndingWith("Fix: chmod 600 " + key);
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
