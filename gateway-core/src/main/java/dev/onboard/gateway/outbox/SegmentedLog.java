package dev.onboard.gateway.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queue of records in a directory of {@link Segment}s, with a durable read cursor: records before
 * the cursor were delivered and their segments are deleted; records from it on are read again after
 * a restart, so delivery is at least once (InfluxDB overwrites a re-sent point with itself).
 *
 * <p>Appends are staged in a reused heap buffer and written with one {@code write()} by {@link
 * #flush()}; the caller holds this object's lock from its appends through the flush, so nothing
 * else ever sees a staged record. Reads go through one reused {@link ReadAhead} window.
 *
 * <p>Thread-safety: every method but {@link #force()}, {@link #commit(long)} and {@link
 * #diskBytes()} is synchronized; appenders and the one reader share the lock, and the fsyncs of
 * {@code force} and {@code commit} run outside it.
 */
final class SegmentedLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SegmentedLog.class);

  private final Path dir;
  private final int segmentBytes;
  private static final int STAGE_FLUSH_BYTES = 256 << 10;
  private static final int READ_AHEAD_BYTES = 1 << 20;

  private final List<Segment> segments = new ArrayList<>();
  // Full segments not yet forced to disk; the next force() takes them.
  private final List<Segment> unforced = new ArrayList<>();
  private final ReadAhead reader = new ReadAhead(READ_AHEAD_BYTES);
  private ByteBuffer staged = ByteBuffer.allocate(64 << 10);
  private long cursor;
  private long tornRecords;
  private Segment readSegment;
  private int readOffset;
  private long readSeq = -1;
  // Read without the lock by the quota check, which must not take a second queue's lock.
  private volatile int segmentCount;
  // Serialises writes of the cursor file; never held while taking this object's lock.
  private final Object cursorFile = new Object();
  private long durableCursor = -1; // guarded by cursorFile

  SegmentedLog(Path dir, int segmentBytes) throws IOException {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    Files.createDirectories(dir);
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
    }
    for (Path f : files) {
      Segment s = Segment.open(f, segmentBytes, reader);
      if (s.tornAt() >= 0) {
        tornRecords++;
        log.warn(
            "outbox {}: torn record at byte {} of {} discarded (a crash during a write)",
            dir.getFileName(),
            s.tornAt(),
            f.getFileName());
      }
      segments.add(s);
    }
    cursor = readCursor();
    if (segments.isEmpty()) {
      segments.add(Segment.create(dir, cursor, segmentBytes));
    }
    segmentCount = segments.size();
    // A cursor before the first segment means those records were dropped under quota.
    cursor = Math.max(cursor, segments.get(0).firstSeq);
    durableCursor = cursor;
  }

  private long readCursor() throws IOException {
    Path file = dir.resolve("cursor");
    if (!Files.exists(file)) {
      return segments.isEmpty() ? 0 : segments.get(0).firstSeq;
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      // The cursor is written atomically, so this is damage from outside: re-send everything
      // rather than skip anything.
      log.warn(
          "outbox {}: unreadable cursor '{}', delivering every stored record again",
          dir.getFileName(),
          text);
      return segments.isEmpty() ? 0 : segments.get(0).firstSeq;
    }
  }

  private Segment active() {
    return segments.get(segments.size() - 1);
  }

  /** Whether {@code payloadBytes} fits without a new segment. */
  synchronized boolean fits(int payloadBytes) {
    return active().fits(payloadBytes);
  }

  /**
   * Stages a record, starting a new segment when the active one is full. Returns the record's seq.
   * It is written by {@link #flush()}, which the caller must call before letting go of the lock.
   */
  synchronized long append(long appendedAtMillis, PointClass pointClass, byte[] payload)
      throws IOException {
    return append(appendedAtMillis, pointClass, payload, 0, payload.length);
  }

  /**
   * {@link #append(long, PointClass, byte[])} of {@code length} bytes of {@code from} at {@code
   * at}.
   */
  synchronized long append(
      long appendedAtMillis, PointClass pointClass, byte[] from, int at, int length)
      throws IOException {
    if (Segment.HEADER + length + 4 > segmentBytes) {
      throw new IllegalArgumentException(
          "a point of " + length + " bytes is larger than an outbox segment");
    }
    if (!active().fits(length)) {
      flush();
      // The full segment becomes immutable; the next force() makes it durable, outside this lock:
      // fsyncing 16 MiB here stalled every appender (an OPC UA server's queues overflowed).
      unforced.add(active());
      segments.add(Segment.create(dir, active().nextSeq(), segmentBytes));
      segmentCount = segments.size();
    } else if (staged.position() >= STAGE_FLUSH_BYTES) {
      // A large batch is written in pieces, so the buffer stays small.
      flush();
    }
    int need = Segment.HEADER + length;
    if (staged.remaining() < need) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(staged.capacity() * 2, staged.position() + need));
      bigger.put(staged.array(), 0, staged.position());
      staged = bigger;
    }
    return active().stage(staged, appendedAtMillis, pointClass, from, at, length);
  }

  /**
   * Writes the staged records to the page cache: from here they survive a killed process. On
   * failure they are forgotten, as if never appended.
   */
  synchronized void flush() throws IOException {
    try {
      active().flush(staged);
    } finally {
      staged.clear();
    }
  }

  /** Records from the cursor on, at most {@code maxRecords} and about {@code maxBytes}. */
  synchronized List<Record> peek(int maxRecords, int maxBytes) {
    List<Record> out = new ArrayList<>();
    if (readSeq != cursor) {
      seekToCursor();
    }
    Segment seg = readSegment;
    int offset = readOffset;
    long seq = readSeq;
    int bytes = 0;
    while (out.size() < maxRecords && bytes < maxBytes) {
      Record r = read(seg, offset);
      if (r == null) {
        int i = segments.indexOf(seg);
        if (i < 0) {
          throw new IllegalStateException("outbox read position lost its segment " + seg.file);
        }
        if (i == segments.size() - 1) {
          break;
        }
        seg = segments.get(i + 1);
        offset = 0;
        continue;
      }
      out.add(r);
      bytes += r.payload().length + 1;
      offset = next(seg, offset);
      seq++;
    }
    return out;
  }

  private void seekToCursor() {
    for (Segment s : segments) {
      if (cursor < s.nextSeq() || s == active()) {
        readSegment = s;
        readOffset = offsetOf(s, Math.max(cursor, s.firstSeq));
        readSeq = cursor;
        return;
      }
    }
  }

  /**
   * Marks every record before {@code nextSeq} delivered: persists the cursor, then deletes the
   * segments it has passed. The cursor's fsync runs outside this object's lock: it takes tens of
   * milliseconds on a busy disk, several times a second under load, and the appenders are the
   * adapters' delivery threads, which must not stall on it (an OPC UA server's item queues overflow
   * while they wait).
   */
  void commit(long nextSeq) throws IOException {
    if (!advanceCursor(nextSeq)) {
      return;
    }
    persistCursor(nextSeq);
    synchronized (this) {
      // Only segments the durable cursor has passed: after a crash, the file says where to resume.
      while (segments.size() > 1 && segments.get(0).nextSeq() <= nextSeq) {
        Segment gone = segments.remove(0);
        if (gone == readSegment) {
          // The cached read position pointed at the end of a segment now deleted.
          readSeq = -1;
        }
        delete(gone);
      }
      segmentCount = segments.size();
    }
  }

  private synchronized boolean advanceCursor(long nextSeq) {
    if (nextSeq <= cursor) {
      return false;
    }
    // Advance the cached read position to the new cursor so the next peek need not rescan.
    while (readSeq >= 0 && readSeq < nextSeq && readSegment != null) {
      if (readSeq >= readSegment.nextSeq()) {
        int i = segments.indexOf(readSegment);
        readSegment = segments.get(i + 1);
        readOffset = 0;
        continue;
      }
      readOffset = next(readSegment, readOffset);
      readSeq++;
    }
    cursor = nextSeq;
    if (readSeq != cursor) {
      readSeq = -1;
    }
    return true;
  }

  /**
   * Writes {@code value} as the durable cursor unless a larger one is already there: commits may
   * overlap once they leave the lock, and the cursor never goes back.
   */
  private void persistCursor(long value) throws IOException {
    synchronized (cursorFile) {
      if (value <= durableCursor) {
        return;
      }
      writeCursor(value);
      durableCursor = value;
    }
  }

  private void writeCursor(long value) throws IOException {
    Path tmp = dir.resolve("cursor.tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    Files.move(
        tmp,
        dir.resolve("cursor"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Deletes the oldest segment if it is not the active one. Returns how many of its records were
   * not yet delivered (now lost), or -1 if there was nothing to drop.
   */
  synchronized long dropOldest() throws IOException {
    if (segments.size() < 2) {
      return -1;
    }
    Segment oldest = segments.remove(0);
    segmentCount = segments.size();
    long undelivered = Math.max(0, oldest.nextSeq() - Math.max(cursor, oldest.firstSeq));
    if (cursor < oldest.nextSeq()) {
      // Not persisted: after a restart a cursor before the first segment is moved up to it, so a
      // dropped segment needs no fsync here, under the lock every appender takes.
      cursor = oldest.nextSeq();
      readSeq = -1;
    }
    delete(oldest);
    return undelivered;
  }

  private void delete(Segment s) throws IOException {
    reader.forget(s);
    s.close();
    Files.deleteIfExists(s.file);
  }

  /** Records appended but not yet delivered. */
  synchronized long depth() {
    return active().nextSeq() - cursor;
  }

  /** Append time of the oldest undelivered record, epoch ms; -1 when there is none. */
  synchronized long oldestMillis() {
    List<Record> first = peek(1, Integer.MAX_VALUE);
    return first.isEmpty() ? -1 : first.get(0).appendedAtMillis();
  }

  /** Bytes of disk the segments may take, each counted at its full size. Lock-free. */
  long diskBytes() {
    return (long) segmentCount * segmentBytes;
  }

  synchronized long tornRecords() {
    return tornRecords;
  }

  /**
   * Forces the active segment, and every segment that filled up since the last call, to disk. The
   * fsyncs run outside the lock, so appenders go on beside them; a segment closed meanwhile (its
   * records delivered or dropped) needs nothing.
   */
  void force() throws IOException {
    List<Segment> toForce;
    synchronized (this) {
      toForce = new ArrayList<>(unforced.size() + 1);
      toForce.addAll(unforced);
      toForce.add(active());
      unforced.clear();
    }
    for (Segment s : toForce) {
      s.force();
    }
  }

  // Reads of records the outbox wrote itself: an error here is the disk failing under us.
  private Record read(Segment s, int offset) {
    try {
      return s.read(reader, offset);
    } catch (IOException e) {
      throw new UncheckedIOException("outbox cannot read " + s.file, e);
    }
  }

  private int next(Segment s, int offset) {
    try {
      return s.next(reader, offset);
    } catch (IOException e) {
      throw new UncheckedIOException("outbox cannot read " + s.file, e);
    }
  }

  private int offsetOf(Segment s, long seq) {
    try {
      return s.offsetOf(reader, seq);
    } catch (IOException e) {
      throw new UncheckedIOException("outbox cannot read " + s.file, e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    flush();
    for (Segment s : segments) {
      s.force();
      s.close();
    }
  }
}
