package dev.onboard.gateway.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One fixed-size file of records, memory-mapped. A write lands in the kernel's page cache, so it
 * survives the process being killed; {@link #force()} makes it survive power loss too.
 *
 * <p>The file is filled with zeros when created, so the disk space is really allocated: writing
 * into a sparse mapped file on a full disk kills the JVM (SIGBUS), whereas a full disk at creation
 * is an ordinary {@link IOException}.
 *
 * <p>Record layout, big-endian (the buffer's default): {@code u32 length of payload, u32 CRC32C of
 * (seq, time, class, payload), u64 seq, u64 append time (epoch ms), u8 class, payload (UTF-8 line
 * protocol)}. A zero length marks the end. A record whose length runs past the file or whose CRC
 * does not match is a torn write: it and everything after it are discarded when the segment is
 * opened.
 *
 * <p>Thread-safety: none; {@link SegmentedLog} serialises access.
 */
final class Segment {

  static final int HEADER = 4 + 4 + 8 + 8 + 1;
  private static final int ZERO_CHUNK = 1 << 20;

  final Path file;
  final long firstSeq;
  private final FileChannel channel;
  private final MappedByteBuffer map;
  private int end;
  private long nextSeq;
  private int tornAt = -1;

  private Segment(Path file, long firstSeq, FileChannel channel, MappedByteBuffer map) {
    this.file = file;
    this.firstSeq = firstSeq;
    this.channel = channel;
    this.map = map;
    this.nextSeq = firstSeq;
  }

  static Path fileFor(Path dir, long firstSeq) {
    return dir.resolve(String.format("%020d.seg", firstSeq));
  }

  /** Creates a new, zero-filled segment whose first record will be {@code firstSeq}. */
  static Segment create(Path dir, long firstSeq, int size) throws IOException {
    Path file = fileFor(dir, firstSeq);
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      ByteBuffer zeros = ByteBuffer.allocateDirect(Math.min(size, ZERO_CHUNK));
      long written = 0;
      while (written < size) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), size - written));
        written += ch.write(zeros, written);
      }
      ch.force(true);
      return new Segment(file, firstSeq, ch, ch.map(FileChannel.MapMode.READ_WRITE, 0, size));
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Opens an existing segment and finds its end, discarding a torn tail. */
  static Segment open(Path file) throws IOException {
    String name = file.getFileName().toString();
    long firstSeq = Long.parseLong(name.substring(0, name.indexOf('.')));
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Segment s =
        new Segment(file, firstSeq, ch, ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size()));
    s.recover();
    return s;
  }

  private void recover() {
    int pos = 0;
    long seq = firstSeq;
    while (true) {
      int valid = validRecordAt(pos, seq);
      if (valid <= 0) {
        if (valid < 0) {
          // After power loss, pages may reach the disk out of order, so fragments of later records
          // can follow the torn one. Zero the whole rest so none is ever read as a record.
          tornAt = pos;
          byte[] zeros = new byte[Math.min(ZERO_CHUNK, map.capacity() - pos)];
          for (int at = pos; at < map.capacity(); at += zeros.length) {
            map.put(at, zeros, 0, Math.min(zeros.length, map.capacity() - at));
          }
          map.force();
        }
        break;
      }
      pos += valid;
      seq++;
    }
    end = pos;
    nextSeq = seq;
  }

  /** Length of the valid record at {@code pos}, 0 at the clean end, -1 for a torn record. */
  private int validRecordAt(int pos, long expectedSeq) {
    if (pos + HEADER > map.capacity()) {
      return 0;
    }
    int length = map.getInt(pos);
    if (length == 0) {
      return 0;
    }
    if (length < 0 || pos + HEADER + (long) length > map.capacity()) {
      return -1;
    }
    if (map.getLong(pos + 8) != expectedSeq || map.getInt(pos + 4) != crc(pos, length)) {
      return -1;
    }
    return HEADER + length;
  }

  private int crc(int pos, int length) {
    CRC32C crc = new CRC32C();
    crc.update(map.slice(pos + 8, 8 + 8 + 1 + length));
    return (int) crc.getValue();
  }

  /** Whether a record of {@code payloadBytes} still fits. */
  boolean fits(int payloadBytes) {
    // Keep room for the zero length that marks the end, so recovery always finds a clean end.
    return end + HEADER + payloadBytes + 4 <= map.capacity();
  }

  /** Appends a record; the caller checked {@link #fits}. Returns its seq. */
  long append(long appendedAtMillis, PointClass pointClass, byte[] payload) {
    int pos = end;
    // Write the body first and the length last: a reader or a recovery that sees the length sees
    // a complete record, and a crash in between leaves a zero length, the clean end.
    map.putLong(pos + 8, nextSeq);
    map.putLong(pos + 16, appendedAtMillis);
    map.put(pos + 24, (byte) pointClass.ordinal());
    map.put(pos + HEADER, payload);
    map.putInt(pos + 4, crc(pos, payload.length));
    map.putInt(pos, payload.length);
    end = pos + HEADER + payload.length;
    return nextSeq++;
  }

  /** Reads the record at byte offset {@code pos}; null at the end. */
  Record read(int pos) {
    if (pos >= end) {
      return null;
    }
    int length = map.getInt(pos);
    byte[] payload = new byte[length];
    map.get(pos + HEADER, payload);
    return new Record(
        map.getLong(pos + 8),
        map.getLong(pos + 16),
        PointClass.values()[map.get(pos + 24)],
        payload);
  }

  /** Byte offset of the record after the one at {@code pos}. */
  int next(int pos) {
    return pos + HEADER + map.getInt(pos);
  }

  /** Byte offset of record {@code seq}, which must be in this segment. */
  int offsetOf(long seq) {
    int pos = 0;
    for (long s = firstSeq; s < seq; s++) {
      pos = next(pos);
    }
    return pos;
  }

  long nextSeq() {
    return nextSeq;
  }

  int size() {
    return map.capacity();
  }

  /** Byte offset where a torn record was found and discarded when opened; -1 if none. */
  int tornAt() {
    return tornAt;
  }

  boolean isEmpty() {
    return nextSeq == firstSeq;
  }

  void force() {
    map.force();
  }

  void close() throws IOException {
    channel.close();
  }
}
