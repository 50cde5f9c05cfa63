package dev.onboard.gateway.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A window onto one segment's bytes, filled by one positional read and reused for every record in
 * it. Reading through the page cache with {@code read()} keeps the file's pages out of the
 * process's resident set, which a memory map would not (mapped pages that were touched count in
 * VmRSS as RssFile).
 *
 * <p>Bytes a segment has written are never changed again, so a window stays valid for as long as
 * its segment exists; it is keyed by the segment object, and a deleted segment is never read.
 *
 * <p>Thread-safety: none; one per {@link SegmentedLog}, used under its lock.
 */
final class ReadAhead {

  private byte[] buf;
  private ByteBuffer view;
  private Segment segment;
  private long start;
  private int length;

  /** A window of {@code bytes}; it grows only for a record larger than that. */
  ReadAhead(int bytes) {
    buf = new byte[bytes];
    view = ByteBuffer.wrap(buf);
  }

  /**
   * Makes bytes {@code [pos, pos + n)} of {@code s} available and returns the index in {@link
   * #bytes()} where they start. Reads ahead as far as {@code limit} (the end of what may be read)
   * or the window's size.
   */
  int window(Segment s, long pos, int n, long limit) throws IOException {
    if (s == segment && pos >= start && pos + n <= start + length) {
      return (int) (pos - start);
    }
    if (n > buf.length) {
      buf = new byte[Math.max(n, buf.length * 2)];
      view = ByteBuffer.wrap(buf);
    }
    int want = (int) Math.max(n, Math.min(buf.length, limit - pos));
    // Invalidate first: a failed read must not leave a window that claims bytes it does not hold.
    segment = null;
    s.readFully(pos, buf, want);
    segment = s;
    start = pos;
    length = want;
    return 0;
  }

  /** The window's bytes, big-endian; valid until the next {@link #window} call. */
  ByteBuffer bytes() {
    return view;
  }

  /** Forgets the window, e.g. when its segment is closed. */
  void forget(Segment s) {
    if (segment == s) {
      segment = null;
    }
  }
}
