package dev.onboard.meter.cli;

import java.util.Arrays;

/**
 * Device id → position in devices.csv (0, 1, 2, …), looked up by {@code String} or straight from
 * the bytes of an ASCII field in a read buffer, so that streaming ten million evidence rows makes
 * no String per row. Open addressing over one {@code long[]} (hash and position in one slot) and
 * the ids' bytes in one array: a lookup touches two or three cache lines, where a {@code
 * HashMap<String, Integer>} of a million entries touches five.
 *
 * <p>Ids with a character outside ASCII are kept and found by {@code String}; a byte lookup (only
 * made for ASCII fields) never matches them, which is right: ASCII bytes never spell such an id.
 *
 * <p>Not thread-safe while it is filled; once filled, any number of threads may look up.
 */
final class DeviceIndex {
  private static final int NON_ASCII = -1;

  private long[] slots = new long[1 << 10]; // 0 = empty; else (hash << 32) | (position + 1)
  private int mask = slots.length - 1;
  private int size;
  private String[] ids = new String[256];
  private int[] start = new int[257]; // bytes of id i: [start[i], start[i] + length[i])
  private int[] length = new int[256];
  private byte[] bytes = new byte[4096];
  private int used;

  /** The number of ids. */
  int size() {
    return size;
  }

  /**
   * Adds {@code id} at the next position (its line's device), unless it is already there.
   *
   * @return the earlier position of {@code id}, or −1 when it was added now
   */
  int putIfAbsent(String id) {
    int h = id.hashCode();
    int found = find(h, id, null, 0, 0);
    if (found >= 0) {
      return found;
    }
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
      length = Arrays.copyOf(length, size * 2);
      start = Arrays.copyOf(start, size * 2 + 1);
    }
    ids[size] = id;
    boolean ascii = isAscii(id);
    if (ascii) {
      if (used + id.length() > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + id.length()));
      }
      for (int i = 0; i < id.length(); i++) {
        bytes[used + i] = (byte) id.charAt(i);
      }
      start[size] = used;
      length[size] = id.length();
      used += id.length();
    } else {
      start[size] = used;
      length[size] = NON_ASCII;
    }
    insert(h, size);
    size++;
    return -1;
  }

  /** The position of {@code id}, or −1. */
  int get(String id) {
    return find(id.hashCode(), id, null, 0, 0);
  }

  /**
   * The position of the id spelled by the ASCII bytes {@code b[from, to)}, or −1. The hash is the
   * one {@link String#hashCode()} gives for the same characters.
   */
  int get(byte[] b, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + b[i];
    }
    return find(h, null, b, from, to);
  }

  /** The position of {@code id}, or of the bytes {@code b[from, to)} when {@code id} is null. */
  private int find(int h, String id, byte[] b, int from, int to) {
    for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
      long s = slots[slot];
      if (s == 0) {
        return -1;
      }
      if ((int) (s >>> 32) == h) {
        int p = (int) s - 1;
        if (id != null
            ? ids[p].equals(id)
            : length[p] == to - from
                && Arrays.equals(bytes, start[p], start[p] + length[p], b, from, to)) {
          return p;
        }
      }
    }
  }

  private void insert(int h, int position) {
    int slot = spread(h) & mask;
    while (slots[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = ((long) h << 32) | ((position + 1) & 0xFFFF_FFFFL);
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    mask = slots.length - 1;
    for (long s : old) {
      if (s != 0) {
        insert((int) (s >>> 32), (int) s - 1);
      }
    }
  }

  private static int spread(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 16);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
