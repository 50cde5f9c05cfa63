package dev.onboard.gateway.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evidence ledger: an append-only log of evidence records in their canonical encoding ({@link
 * CanonicalJson}), the RFC 6962 Merkle tree over them, and checkpoints signed with the gateway's
 * key. Nothing is ever rewritten: a changed, dropped or reordered record changes the root, and a
 * root that was signed and sent to the central store cannot be taken back.
 *
 * <p>On disk ({@code dataDir/ledger}): {@code records.log}, each record as {@code u32 length, u32
 * CRC32C, bytes}, forced to disk before an append returns; {@code checkpoints.log}, one JSON
 * checkpoint per line. A record torn by a crash is found when the ledger opens, cut off and
 * counted; it was never acknowledged, so nothing signed is lost.
 *
 * <p>{@link #openReadOnly} reads a ledger that a running gateway may be appending to (for {@code
 * onboard report}): it changes nothing on disk, needs no private key, and ignores a record still
 * being written.
 *
 * <p>Thread-safety: every method is synchronized.
 */
public final class Ledger implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Ledger.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final String gatewayId;
  private final GatewayKey key;
  private final Clock clock;
  private final FileChannel records;
  private final boolean readOnly;
  private final List<Long> offsets = new ArrayList<>();
  private final List<byte[]> leafHashes = new ArrayList<>();
  private final List<Checkpoint> checkpoints = new ArrayList<>();
  private long end;
  private int tornRecords;

  private Ledger(
      Path dir,
      String gatewayId,
      GatewayKey key,
      Clock clock,
      FileChannel records,
      boolean readOnly) {
    this.dir = dir;
    this.gatewayId = gatewayId;
    this.key = key;
    this.clock = clock;
    this.records = records;
    this.readOnly = readOnly;
  }

  /** Opens the ledger in {@code dir}, creating it, and checks it against its last checkpoint. */
  public static Ledger open(Path dir, String gatewayId, GatewayKey key, Clock clock)
      throws IOException {
    Files.createDirectories(dir);
    FileChannel ch =
        FileChannel.open(
            dir.resolve("records.log"),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    return new Ledger(dir, gatewayId, key, clock, ch, false).load();
  }

  /**
   * Opens the ledger in {@code dir} for reading only: nothing on disk changes, a record still being
   * written by a running gateway is left alone, and the records are checked against the last signed
   * checkpoint as {@link #open} does.
   *
   * @throws java.nio.file.NoSuchFileException when there is no ledger in {@code dir}
   */
  public static Ledger openReadOnly(Path dir) throws IOException {
    FileChannel ch = FileChannel.open(dir.resolve("records.log"), StandardOpenOption.READ);
    return new Ledger(dir, null, null, null, ch, true).load();
  }

  private Ledger load() throws IOException {
    try {
      // Checkpoints first: a checkpoint is written after its records, so every checkpoint read
      // now covers records that are already on disk when they are read next (a running gateway
      // may be appending while a report reads).
      loadCheckpoints();
      recover();
      checkAgainstLatestCheckpoint();
      return this;
    } catch (IOException | RuntimeException e) {
      records.close();
      throw e;
    }
  }

  private void recover() throws IOException {
    long size = records.size();
    ByteBuffer header = ByteBuffer.allocate(8);
    long pos = 0;
    while (pos + 8 <= size) {
      header.clear();
      records.read(header, pos);
      int length = header.getInt(0);
      int crc = header.getInt(4);
      if (length <= 0 || pos + 8 + length > size) {
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      records.read(body, pos + 8);
      if (crc(body.array()) != crc) {
        break;
      }
      offsets.add(pos);
      leafHashes.add(Merkle.leafHash(body.array()));
      pos += 8 + length;
    }
    if (pos < size && readOnly) {
      // Possibly a record a running gateway is writing right now: not ours to cut.
      end = pos;
      return;
    }
    if (pos < size) {
      tornRecords = 1;
      log.warn(
          "ledger: a torn record ({} bytes at the end of records.log, from a crash during a write) was cut off",
          size - pos);
      records.truncate(pos);
      records.force(true);
    }
    end = pos;
  }

  private void loadCheckpoints() throws IOException {
    Path file = dir.resolve("checkpoints.log");
    if (!Files.exists(file)) {
      return;
    }
    byte[] bytes = Files.readAllBytes(file);
    int complete = bytes.length;
    while (complete > 0 && bytes[complete - 1] != '\n') {
      complete--;
    }
    if (complete < bytes.length && !readOnly) {
      // A line torn by a crash: its checkpoint was never acknowledged. Cut it, or the next
      // checkpoint would be appended to it and be unreadable too.
      log.warn("ledger: a torn checkpoint line ({} bytes) was cut off", bytes.length - complete);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(complete);
        ch.force(true);
      }
    }
    String text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        checkpoints.add(Checkpoint.fromMap(JSON.readValue(line, Map.class)));
      } catch (IOException | RuntimeException e) {
        // A torn last line: the checkpoint it held was never acknowledged.
        log.warn("ledger: an unreadable checkpoint line was ignored: {}", e.getMessage());
      }
    }
  }

  private void checkAgainstLatestCheckpoint() throws IOException {
    Optional<Checkpoint> last = latestCheckpoint();
    if (last.isPresent()) {
      Checkpoint c = last.get();
      if (c.treeSize() > leafHashes.size()
          || !java.util.Arrays.equals(Merkle.root(leafHashes, 0, (int) c.treeSize()), c.root())) {
        throw new IOException(
            "ledger in "
                + dir
                + " does not match its last signed checkpoint (size "
                + c.treeSize()
                + ", root "
                + c.rootHex()
                + "): records were changed or lost. Keep this directory for the auditor; do not delete it");
      }
    }
  }

  /**
   * Appends records (each a map of canonical JSON values) and forces them to disk. Returns the
   * first's index.
   */
  public synchronized long append(List<Map<String, Object>> entries) throws IOException {
    requireWritable();
    long first = leafHashes.size();
    for (Map<String, Object> entry : entries) {
      byte[] bytes = CanonicalJson.encode(entry);
      ByteBuffer buf = ByteBuffer.allocate(8 + bytes.length);
      buf.putInt(bytes.length).putInt(crc(bytes)).put(bytes).flip();
      while (buf.hasRemaining()) {
        records.write(buf, end + buf.position());
      }
      offsets.add(end);
      leafHashes.add(Merkle.leafHash(bytes));
      end += 8 + bytes.length;
    }
    records.force(false);
    return first;
  }

  /** Signs the current tree, records the checkpoint and returns it. */
  public synchronized Checkpoint checkpoint() throws IOException {
    requireWritable();
    Checkpoint c =
        Checkpoint.sign(
            key, gatewayId, leafHashes.size(), Merkle.root(leafHashes), clock.instant());
    Path file = dir.resolve("checkpoints.log");
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(
          ByteBuffer.wrap(
              (new String(CanonicalJson.encode(c.toMap()), StandardCharsets.UTF_8) + "\n")
                  .getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    checkpoints.add(c);
    return c;
  }

  public synchronized long size() {
    return leafHashes.size();
  }

  /** The canonical bytes of record {@code index}. */
  public synchronized byte[] record(long index) throws IOException {
    long at = offsets.get((int) index);
    ByteBuffer header = ByteBuffer.allocate(4);
    records.read(header, at);
    ByteBuffer body = ByteBuffer.allocate(header.getInt(0));
    records.read(body, at + 8);
    return body.array();
  }

  /** The leaf hashes of the first {@code size} records, for building many proofs at once. */
  public synchronized List<byte[]> leafHashes(long size) {
    return List.copyOf(leafHashes.subList(0, (int) size));
  }

  public synchronized List<byte[]> inclusionProof(long index, long treeSize) {
    return Merkle.inclusionProof(leafHashes, (int) index, (int) treeSize);
  }

  public synchronized List<byte[]> consistencyProof(long oldSize, long newSize) {
    return Merkle.consistencyProof(leafHashes, (int) oldSize, (int) newSize);
  }

  public synchronized Optional<Checkpoint> latestCheckpoint() {
    return checkpoints.isEmpty()
        ? Optional.empty()
        : Optional.of(checkpoints.get(checkpoints.size() - 1));
  }

  public synchronized List<Checkpoint> checkpoints() {
    return List.copyOf(checkpoints);
  }

  /** Torn records found and cut off when the ledger opened. */
  public synchronized int tornRecords() {
    return tornRecords;
  }

  /** The signing key; {@code null} when opened read-only. */
  public GatewayKey key() {
    return key;
  }

  /** The ledger's clock's current instant. */
  Instant now() {
    return clock.instant();
  }

  private void requireWritable() {
    if (readOnly) {
      throw new IllegalStateException("the ledger in " + dir + " was opened read-only");
    }
  }

  private static int crc(byte[] bytes) {
    CRC32C c = new CRC32C();
    c.update(bytes);
    return (int) c.getValue();
  }

  @Override
  public synchronized void close() throws IOException {
    if (!readOnly) {
      records.force(true);
    }
    records.close();
  }
}
