package dev.onboard.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onboard.gateway.testkit.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while a ledger is being appended to: the ledger reopens (a torn record or checkpoint line
 * is cut off), still matches its signed checkpoints, and keeps every record a checkpoint signed.
 */
class LedgerKillIT {

  @TempDir Path dir;

  @RepeatedTest(3)
  void after_kill_9_the_ledger_reopens_verifies_and_keeps_every_signed_record() throws Exception {
    Process writer = ChildJvm.start(LedgerWriterMain.class, dir.toString());
    AtomicReference<String[]> lastSigned = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  if (line.startsWith("signed ")) {
                    lastSigned.set(line.split(" "));
                  }
                }
              } catch (Exception e) {
                // The pipe breaks when the writer is killed; what was read is what counts.
              }
            },
            "ledger-kill-reader");
    reader.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> lastSigned.get() != null && Long.parseLong(lastSigned.get()[1]) >= 3_000);
    writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
    assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    reader.join(10_000);
    long signedSize = Long.parseLong(lastSigned.get()[1]);
    byte[] signedRoot = HexFormat.of().parseHex(lastSigned.get()[2]);

    GatewayKey key = GatewayKey.loadOrCreate(dir.resolve("keys"));
    try (Ledger ledger = Ledger.open(dir.resolve("ledger"), "gw-kill", key, Clock.systemUTC())) {
      assertThat(ledger.size()).isGreaterThanOrEqualTo(signedSize);
      assertThat(ledger.checkpoints())
          .as("the last acknowledged checkpoint survived")
          .anySatisfy(c -> assertThat(c.treeSize()).isEqualTo(signedSize));
      Checkpoint latest = ledger.latestCheckpoint().orElseThrow();
      assertThat(latest.verify(key.publicKey())).isTrue();
      List<byte[]> leaves = ledger.leafHashes(ledger.size());
      assertThat(Merkle.root(leaves, 0, (int) signedSize)).isEqualTo(signedRoot);
      Merkle.Hasher hasher = new Merkle.Hasher(leaves);
      for (long i = 0; i < latest.treeSize(); i++) {
        byte[] record = ledger.record(i);
        assertThat(((Map<?, ?>) CanonicalJson.parse(record)).get("n")).isEqualTo(i);
        List<byte[]> proof =
            Merkle.inclusionRanges(i, latest.treeSize()).stream()
                .map(r -> hasher.root(r[0], r[1]))
                .toList();
        assertThat(
                Merkle.verifyInclusion(
                    i, latest.treeSize(), Merkle.leafHash(record), proof, latest.root()))
            .as("record %d", i)
            .isTrue();
      }
      // It carries on: a new checkpoint extends the one signed before the kill.
      ledger.append(List.of(Map.of("type", "summary", "device", "dev-0", "n", ledger.size())));
      Checkpoint next = ledger.checkpoint();
      assertThat(
              Merkle.verifyConsistency(
                  signedSize,
                  next.treeSize(),
                  signedRoot,
                  next.root(),
                  ledger.consistencyProof(signedSize, next.treeSize())))
          .isTrue();
    }
    try (Ledger again = Ledger.open(dir.resolve("ledger"), "gw-kill", key, Clock.systemUTC())) {
      assertThat(again.tornRecords()).isZero();
    }
  }
}
