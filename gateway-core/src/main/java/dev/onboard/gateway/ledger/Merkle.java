package dev.onboard.gateway.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Merkle tree of RFC 6962 §2.1 (restated in RFC 9162 §2.1): leaf hash {@code SHA-256(0x00 ‖
 * entry)}, node hash {@code SHA-256(0x01 ‖ left ‖ right)}, a tree of n leaves split at the largest
 * power of two below n. Builds roots and proofs from leaf hashes, and verifies proofs with the
 * algorithms of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), so an auditor's {@code
 * verify} needs nothing but the proofs, the signed root and this class.
 *
 * <p>Stateless and thread-safe.
 */
public final class Merkle {

  private Merkle() {}

  public static byte[] leafHash(byte[] entry) {
    MessageDigest d = sha256();
    d.update((byte) 0x00);
    d.update(entry);
    return d.digest();
  }

  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest d = sha256();
    d.update((byte) 0x01);
    d.update(left);
    d.update(right);
    return d.digest();
  }

  /** The root of the tree over {@code leafHashes[from, to)}; SHA-256 of nothing when empty. */
  public static byte[] root(List<byte[]> leafHashes, int from, int to) {
    int n = to - from;
    if (n == 0) {
      return sha256().digest();
    }
    if (n == 1) {
      return leafHashes.get(from);
    }
    int k = split(n);
    return nodeHash(root(leafHashes, from, from + k), root(leafHashes, from + k, to));
  }

  public static byte[] root(List<byte[]> leafHashes) {
    return root(leafHashes, 0, leafHashes.size());
  }

  /**
   * The audit path of leaf {@code index} in the tree of the first {@code size} leaves (RFC 6962
   * §2.1.1).
   */
  public static List<byte[]> inclusionProof(List<byte[]> leafHashes, int index, int size) {
    if (index < 0 || index >= size || size > leafHashes.size()) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    List<byte[]> path = new ArrayList<>();
    path(leafHashes, index, 0, size, path);
    return path;
  }

  private static void path(List<byte[]> leaves, int m, int from, int to, List<byte[]> out) {
    int n = to - from;
    if (n <= 1) {
      return;
    }
    int k = split(n);
    if (m < k) {
      path(leaves, m, from, from + k, out);
      out.add(root(leaves, from + k, to));
    } else {
      path(leaves, m - k, from + k, to, out);
      out.add(root(leaves, from, from + k));
    }
  }

  /**
   * Where the hashes of the audit path of leaf {@code index} in a tree of {@code size} leaves come
   * from: for each proof element, in proof order, the leaf range {@code [from, to)} whose subtree
   * root it is. {@code inclusionProof(leaves, index, size).get(i)} is the root of range i, so a
   * verifier that holds the subtree roots by range (a report shares them between its records) can
   * rebuild every proof.
   */
  public static List<long[]> inclusionRanges(long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    List<long[]> out = new ArrayList<>();
    ranges(index, 0, size, out);
    return out;
  }

  private static void ranges(long m, long from, long to, List<long[]> out) {
    long n = to - from;
    if (n <= 1) {
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m < k) {
      ranges(m, from, from + k, out);
      out.add(new long[] {from + k, to});
    } else {
      ranges(m - k, from + k, to, out);
      out.add(new long[] {from, from + k});
    }
  }

  /**
   * Subtree roots over a fixed list of leaf hashes, remembering the complete subtrees of 64 leaves
   * or more, so the roots that many proofs share are computed once: building every proof of a
   * report costs about one pass over the leaves. Not thread-safe.
   */
  public static final class Hasher {
    private static final int CACHE_FROM = 64;
    private final List<byte[]> leaves;
    private final Map<Long, byte[]> complete = new HashMap<>();

    public Hasher(List<byte[]> leafHashes) {
      this.leaves = leafHashes;
    }

    /** The root of leaves {@code [from, to)}, as {@link Merkle#root(List, int, int)}. */
    public byte[] root(long from, long to) {
      long n = to - from;
      if (n <= 0) {
        return sha256().digest();
      }
      if (n == 1) {
        return leaves.get((int) from);
      }
      boolean cacheable = n >= CACHE_FROM && Long.bitCount(n) == 1 && from % n == 0;
      // Complete, aligned subtrees are keyed by their first leaf and size (both powers of two).
      Long key = cacheable ? from * 64 + Long.numberOfTrailingZeros(n) : null;
      if (cacheable) {
        byte[] known = complete.get(key);
        if (known != null) {
          return known;
        }
      }
      long k = Long.highestOneBit(n - 1);
      byte[] r = nodeHash(root(from, from + k), root(from + k, to));
      if (cacheable) {
        complete.put(key, r);
      }
      return r;
    }
  }

  /**
   * The proof that the tree of {@code oldSize} leaves is a prefix of the tree of {@code newSize}
   * (RFC 6962 §2.1.2).
   */
  public static List<byte[]> consistencyProof(List<byte[]> leafHashes, int oldSize, int newSize) {
    if (oldSize <= 0 || oldSize > newSize || newSize > leafHashes.size()) {
      throw new IllegalArgumentException("no consistency proof from " + oldSize + " to " + newSize);
    }
    List<byte[]> proof = new ArrayList<>();
    if (oldSize < newSize) {
      subproof(leafHashes, oldSize, 0, newSize, true, proof);
    }
    return proof;
  }

  private static void subproof(
      List<byte[]> leaves, int m, int from, int to, boolean complete, List<byte[]> out) {
    int n = to - from;
    if (m == n) {
      if (!complete) {
        out.add(root(leaves, from, to));
      }
      return;
    }
    int k = split(n);
    if (m <= k) {
      subproof(leaves, m, from, from + k, complete, out);
      out.add(root(leaves, from + k, to));
    } else {
      subproof(leaves, m - k, from + k, to, false, out);
      out.add(root(leaves, from, from + k));
    }
  }

  /**
   * RFC 9162 §2.1.3.2: whether {@code proof} shows leaf {@code index} with {@code leafHash} under
   * {@code root}.
   */
  public static boolean verifyInclusion(
      long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
    if (index < 0 || index >= size) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(r, root);
  }

  /**
   * RFC 9162 §2.1.4.2: whether {@code proof} shows the tree of {@code oldSize} is a prefix of the
   * tree of {@code newSize}.
   */
  public static boolean verifyConsistency(
      long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof) {
    if (oldSize <= 0 || oldSize > newSize) {
      return false;
    }
    if (oldSize == newSize) {
      return proof.isEmpty() && Arrays.equals(oldRoot, newRoot);
    }
    List<byte[]> path = new ArrayList<>(proof);
    if (Long.bitCount(oldSize) == 1) {
      path.add(0, oldRoot);
    }
    if (path.isEmpty()) {
      return false;
    }
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(fr, oldRoot) && Arrays.equals(sr, newRoot);
  }

  /** The largest power of two strictly below {@code n} (n ≥ 2). */
  static int split(int n) {
    return Integer.highestOneBit(n - 1);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
