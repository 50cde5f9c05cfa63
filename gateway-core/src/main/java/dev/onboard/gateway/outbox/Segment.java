package dev.onboard.gateway.outbox;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One file of records, written with positional writes and read with positional reads, never
 * memory-mapped: the data lives in the kernel's page cache, not in the gateway's resident set
 * (mapped segments of a 1 GiB quota made the process 0.9–1.7 GiB resident). A write that returned
 * is in the page cache, so it survives the process being killed; {@link #force()} makes it survive
 * power loss too.
 *
 * <p>The file grows as records are written, up to its capacity. A full disk is an ordinary {@link
 * IOException} from {@code write()}: nothing is counted as appended, and a partial record left
 * behind is overwritten by the next append or, after a crash, found torn and dropped. The quota
 * counts every segment at its full capacity, so the disk taken is never more than the quota says.
 *
 * <p>It uses {@link RandomAccessFile}, not {@code FileChannel}: an interrupt of a thread inside a
 * {@code FileChannel} call closes the channel for every thread, and the pipeline and uplink threads
 * are interrupted when they stop.
 *
 * <p>Record layout, big-endian: {@code u32 length of payload, u32 CRC32C of (seq, time, class,
 * payload), u64 seq, u64 append time (epoch ms), u8 class, payload (UTF-8 line protocol)}. When
 * opened, the records are checked from the start: a zero length is the clean end (older,
 * pre-allocated segments are zero-filled); a record cut short by the end of the file, whose length
 * runs past it, whose seq is not the next or whose CRC does not match is a torn write. The file is
 * cut at the first such place, so neither it nor anything after it (after power loss, pages may
 * reach the disk out of order) is ever read as a record.
 *
 * <p>Appends are staged in the caller's buffer and written by {@link #flush} in one {@code
 * write()}.
 *
 * <p>Thread-safety: none, except {@link #force()}, which may run beside the others; {@link
 * SegmentedLog} serialises the rest.
 */
final class Segment {

  static final int HEADER = 4 + 4 + 8 + 8 + 1;

  final Path file;
  final long firstSeq;
  private final int capacity;
  private final RandomAccessFile raf;
  private volatile boolean closed;
  // Bytes and seq written to the file; staged ones are past them until flush.
  private int end;
  private long writtenSeq;
  private int stagedEnd;
  private long nextSeq;
  private int tornAt = -1;

  private Segment(Path file, long firstSeq, int capacity, RandomAccessFile raf) {
    this.file = file;
    this.firstSeq = firstSeq;
    this.capacity = capacity;
    this.raf = raf;
    this.writtenSeq = firstSeq;
    this.nextSeq = firstSeq;
  }

  static Path fileFor(Path dir, long firstSeq) {
    return dir.resolve(String.format("%020d.seg", firstSeq));
  }

  /**
   * Creates a new, empty segment whose first record will be {@code firstSeq}, and makes its name
   * durable: forcing the file alone does not keep a new file's directory entry across power loss.
   */
  static Segment create(Path dir, long firstSeq, int capacity) throws IOException {
    Path file = Files.createFile(fileFor(dir, firstSeq));
    try {
      Segment s = new Segment(file, firstSeq, capacity, new RandomAccessFile(file.toFile(), "rw"));
      // A channel of its own, used once: an interrupt here closes nothing that is shared.
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException | RuntimeException e) {
        s.close();
        throw e;
      }
      return s;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Opens an existing segment and finds its end, cutting off a torn tail. */
  static Segment open(Path file, int capacity, ReadAhead reader) throws IOException {
    String name = file.getFileName().toString();
    long firstSeq = Long.parseLong(name.substring(0, name.indexOf('.')));
    RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
    Segment s = new Segment(file, firstSeq, capacity, raf);
    try {
      s.recover(reader);
    } catch (IOException | RuntimeException e) {
      raf.close();
      throw e;
    }
    return s;
  }

  private void recover(ReadAhead reader) throws IOException {
    long size = raf.length();
    if (size > Integer.MAX_VALUE) {
      throw new IOException(file + " is larger than any segment the outbox writes");
    }
    int pos = 0;
    long seq = firstSeq;
    while (true) {
      int valid = validRecordAt(reader, pos, seq, (int) size);
      if (valid <= 0) {
        if (valid < 0) {
          tornAt = pos;
        }
        break;
      }
      pos += valid;
      seq++;
    }
    end = pos;
    stagedEnd = pos;
    writtenSeq = seq;
    nextSeq = seq;
    if (size > end) {
      raf.setLength(end);
      raf.getFD().sync();
    }
    reader.forget(this);
  }

  /** Length of the valid record at {@code pos}, 0 at the clean end, -1 for a torn record. */
  private int validRecordAt(ReadAhead reader, int pos, long expectedSeq, int size)
      throws IOException {
    if (pos == size) {
      return 0;
    }
    if (pos + 4 > size) {
      return -1;
    }
    int at = reader.window(this, pos, 4, size);
    int length = reader.bytes().getInt(at);
    if (length == 0) {
      return 0;
    }
    if (length < 0 || (long) pos + HEADER + length > size) {
      return -1;
    }
    at = reader.window(this, pos, HEADER + length, size);
    ByteBuffer b = reader.bytes();
    if (b.getLong(at + 8) != expectedSeq || b.getInt(at + 4) != crc(b.array(), at, length)) {
      return -1;
    }
    return HEADER + length;
  }

  /** CRC32C of the record at {@code at} in {@code bytes} from its seq to its payload's end. */
  private static int crc(byte[] bytes, int at, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, at + 8, 8 + 8 + 1 + length);
    return (int) crc.getValue();
  }

  /** Whether a record of {@code payloadBytes} still fits. */
  boolean fits(int payloadBytes) {
    // Room is kept for a zero length after the last record, as older segments had.
    return (long) stagedEnd + HEADER + payloadBytes + 4 <= capacity;
  }

  /**
   * Encodes a record, whose payload is {@code length} bytes of {@code from} at {@code at}, into
   * {@code out} (a heap buffer, grown by the caller) for the next {@link #flush}; the caller
   * checked {@link #fits}. Returns its seq.
   */
  long stage(
      ByteBuffer out,
      long appendedAtMillis,
      PointClass pointClass,
      byte[] from,
      int at,
      int length) {
    int start = out.position();
    out.putInt(length);
    out.putInt(0);
    out.putLong(nextSeq);
    out.putLong(appendedAtMillis);
    out.put((byte) pointClass.ordinal());
    out.put(from, at, length);
    out.putInt(start + 4, crc(out.array(), start, length));
    stagedEnd += HEADER + length;
    return nextSeq++;
  }

  /**
   * Writes what was staged in {@code out} (from its start to its position) in one write. On failure
   * the staged records are forgotten, as if never appended.
   */
  void flush(ByteBuffer out) throws IOException {
    int n = out.position();
    if (n == 0) {
      return;
    }
    try {
      raf.seek(end);
      raf.write(out.array(), 0, n);
    } catch (IOException e) {
      stagedEnd = end;
      nextSeq = writtenSeq;
      throw e;
    }
    end += n;
    writtenSeq = nextSeq;
  }

  /** Reads the record at byte offset {@code pos}; null at the end. */
  Record read(ReadAhead reader, int pos) throws IOException {
    if (pos >= end) {
      return null;
    }
    int length = reader.bytes().getInt(reader.window(this, pos, HEADER, end));
    int at = reader.window(this, pos, HEADER + length, end);
    ByteBuffer b = reader.bytes();
    return new Record(
        b.getLong(at + 8),
        b.getLong(at + 16),
        PointClass.values()[b.get(at + 24)],
        Arrays.copyOfRange(b.array(), at + HEADER, at + HEADER + length));
  }

  /** Byte offset of the record after the one at {@code pos}. */
  int next(ReadAhead reader, int pos) throws IOException {
    return pos + HEADER + reader.bytes().getInt(reader.window(this, pos, HEADER, end));
  }

  /** Byte offset of record {@code seq}, which must be in this segment. */
  int offsetOf(ReadAhead reader, long seq) throws IOException {
    int pos = 0;
    for (long s = firstSeq; s < seq; s++) {
      pos = next(reader, pos);
    }
    return pos;
  }

  /** Reads {@code n} bytes from {@code pos} into the start of {@code into}. */
  void readFully(long pos, byte[] into, int n) throws IOException {
    raf.seek(pos);
    raf.readFully(into, 0, n);
  }

  long nextSeq() {
    return nextSeq;
  }

  /** Byte offset where a torn record was found and cut off when opened; -1 if none. */
  int tornAt() {
    return tornAt;
  }

  /**
   * Forces what was written to disk (fsync). Safe beside appends; a segment closed meanwhile (its
   * records delivered or dropped) needs nothing.
   */
  void force() throws IOException {
    if (closed) {
      return;
    }
    try {
      raf.getFD().sync();
    } catch (IOException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  void close() throws IOException {
    closed = true;
    raf.close();
  }
}
