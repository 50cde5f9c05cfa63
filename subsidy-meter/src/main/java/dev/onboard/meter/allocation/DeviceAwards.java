package dev.onboard.meter.allocation;

import dev.onboard.meter.inventory.Device;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.verification.Verification;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The awards of a per-device allocation ({@link DeviceAllocator}), kept as numbers: for each row
 * the claim, the status bits and the amount in fen, plus the text of the rare reasons (duplicate
 * identity, already paid, 就高不重复, carry-over, caps). {@link #get} makes the row's {@link Award} when
 * it is read, with reasons spelled out only when those are read ({@link DeviceReasons}). For a
 * million devices, the Award, reason list and draft of each device, made during the allocation and
 * kept to the end of the run, were most of the allocation step's cost, in the objects made and in
 * the GC copying them (BENCHMARKS.md › Meter › Run H). An award read twice is made twice; the two
 * are equal.
 *
 * <p>Filled by the allocator (each enterprise's slots by one thread), then {@link #seal sealed};
 * immutable and thread-safe from then on (the arrays are published by the fork-join join and the
 * caller's receipt of the list). Amounts are yuan in fen, exact; nothing is rounded here.
 */
final class DeviceAwards extends AbstractList<Award> implements RandomAccess {
  /** The award formula (第四条) is the first reason: a status-free device with a cost. */
  static final int FORMULA = 1 << 30;

  private static final AwardStatus[] STATUSES = AwardStatus.values();
  private static final int STATUS_BITS = (1 << STATUSES.length) - 1;

  private final int year;
  private final Money perDevice;
  private final String source;
  private final int[] enterpriseOf;
  private final Enterprise[] enterprises;
  private final List<String>[] ineligible;
  // One slot per claim, filled enterprise by enterprise at the enterprise's first slot.
  final int[] device;
  // The claim's device and verification, copied here so that reading a row does not go through
  // the claim (one cache miss fewer per row, the rows being in another order than the claims).
  final Device[] devices;
  final Verification[] verifications;
  final int[] bits;
  final long[] amount;
  final String[][] early;
  final String[][] late;
  final int[] count;
  private int[] rows;
  private int[] rowEnterprise;

  /**
   * @param claims the claims, by claim number
   * @param enterpriseOf each claim's enterprise number
   * @param enterprises the enterprises by number (in id order)
   * @param ineligible each enterprise's eligibility failures (filled during the allocation)
   */
  DeviceAwards(
      Policy policy,
      int year,
      DeviceClaim[] claims,
      int[] enterpriseOf,
      Enterprise[] enterprises,
      List<String>[] ineligible) {
    this.year = year;
    this.perDevice = policy.perDeviceAmount();
    this.source = policy.source();
    this.enterpriseOf = enterpriseOf;
    this.enterprises = enterprises;
    this.ineligible = ineligible;
    int n = claims.length;
    device = new int[n];
    devices = new Device[n];
    verifications = new Verification[n];
    bits = new int[n];
    amount = new long[n];
    early = new String[n][];
    late = new String[n][];
    count = new int[ineligible.length];
  }

  static int bit(AwardStatus status) {
    return 1 << status.ordinal();
  }

  /** min(max(cost, 0), per-device amount): the award formula of 第四条. */
  static Money own(Money cost, Money perDevice) {
    return cost.max(Money.ZERO).min(perDevice);
  }

  static String[] append(String[] list, String reason) {
    if (list == null) {
      return new String[] {reason};
    }
    String[] more = Arrays.copyOf(list, list.length + 1);
    more[list.length] = reason;
    return more;
  }

  /** Adds a reason after the award formula to slot {@code p}. */
  void addLate(int p, String reason) {
    late[p] = append(late[p], reason);
  }

  /** No status short of the caps applies and there is something to pay. */
  boolean payable(int p) {
    return (bits[p] & STATUS_BITS) == 0 && amount[p] > 0;
  }

  /** Puts slots {@code from + k} in the order of {@code slots[k]} (each in {@code [from, …)}). */
  void permute(int from, int[] slots) {
    int n = slots.length;
    int[] d = new int[n];
    int[] b = new int[n];
    long[] a = new long[n];
    String[][] e = new String[n][];
    String[][] l = new String[n][];
    Device[] dv = new Device[n];
    Verification[] vs = new Verification[n];
    for (int k = 0; k < n; k++) {
      int p = slots[k];
      dv[k] = devices[p];
      vs[k] = verifications[p];
      d[k] = device[p];
      b[k] = bits[p];
      a[k] = amount[p];
      e[k] = early[p];
      l[k] = late[p];
    }
    System.arraycopy(d, 0, device, from, n);
    System.arraycopy(b, 0, bits, from, n);
    System.arraycopy(a, 0, amount, from, n);
    System.arraycopy(e, 0, early, from, n);
    System.arraycopy(l, 0, late, from, n);
    System.arraycopy(dv, 0, devices, from, n);
    System.arraycopy(vs, 0, verifications, from, n);
  }

  /** Lists the filled slots in enterprise order; {@code start[e]} is enterprise e's first slot. */
  void seal(int[] start) {
    int total = 0;
    for (int c : count) {
      total += c;
    }
    int[] r = new int[total];
    int[] re = new int[total];
    int k = 0;
    for (int e = 0; e < count.length; e++) {
      for (int p = start[e]; p < start[e] + count[e]; p++) {
        re[k] = e;
        r[k++] = p;
      }
    }
    rows = r;
    rowEnterprise = re;
  }

  /** Row {@code k}'s status, as {@link Award#status()} of {@link #get get(k)}. */
  AwardStatus status(int k) {
    int s = bits[rows[k]] & STATUS_BITS;
    return s == 0 ? AwardStatus.AWARDED : STATUSES[Integer.numberOfTrailingZeros(s)];
  }

  /** Row {@code k}'s award in fen, as {@link Award#amount()} of {@link #get get(k)}. */
  long paidFen(int k) {
    AwardStatus status = status(k);
    return status == AwardStatus.AWARDED || status == AwardStatus.PARTIAL ? amount[rows[k]] : 0;
  }

  /** Row {@code k}'s enterprise id, as {@link Award#enterpriseId()} of {@link #get get(k)}. */
  String enterpriseId(int k) {
    return enterprises[rowEnterprise[k]].id();
  }

  /**
   * The rows in order, made {@link #BATCH} at a time: each level of references (the device and
   * verification, then their fields) is fetched for the whole batch in a loop of its own, so that
   * the processor waits for many cache misses at once instead of one after another (the claims lie
   * in input order, the rows in enterprise order). Writing awards.csv reads every row this way.
   */
  @Override
  public Iterator<Award> iterator() {
    return new Iterator<>() {
      private final Award[] batch = new Award[BATCH];
      private int next;
      private int end;
      private int base;

      @Override
      public boolean hasNext() {
        return base + next < rows.length;
      }

      @Override
      public Award next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        if (next == end) {
          base += end;
          end = Math.min(BATCH, rows.length - base);
          make(base, end, batch);
          next = 0;
        }
        return batch[next++];
      }
    };
  }

  private static final int BATCH = 256;

  /** Rows {@code [from, from + n)} into {@code out}, each level fetched for all before the next. */
  private void make(int from, int n, Award[] out) {
    Device[] dv = new Device[n];
    Verification[] vs = new Verification[n];
    for (int j = 0; j < n; j++) {
      dv[j] = devices[rows[from + j]];
      vs[j] = verifications[rows[from + j]];
    }
    String[] ids = new String[n];
    Money[] costs = new Money[n];
    List<?>[] outcomes = new List<?>[n];
    for (int j = 0; j < n; j++) {
      ids[j] = dv[j].id();
      costs[j] = dv[j].onboardingCost();
      outcomes[j] = vs[j].outcomes();
    }
    long touched = 0;
    for (int j = 0; j < n; j++) {
      touched += ids[j].length() + (costs[j] == null ? 0 : costs[j].fen()) + outcomes[j].size();
    }
    sink = touched;
    for (int j = 0; j < n; j++) {
      out[j] = award(from + j, rows[from + j]);
    }
  }

  // Keeps the loads of make()'s touching loop from being optimised away; never read.
  @SuppressWarnings("unused")
  private long sink;

  @Override
  public int size() {
    return rows.length;
  }

  @Override
  public Award get(int index) {
    int p = rows[Objects.checkIndex(index, rows.length)];
    return award(index, p);
  }

  private Award award(int k, int p) {
    Device d = devices[p];
    Verification v = verifications[p];
    AwardStatus status = status(k);
    boolean paid = status == AwardStatus.AWARDED || status == AwardStatus.PARTIAL;
    return new Award(
        d.id(),
        enterpriseId(k),
        year,
        status,
        v.state() != Verification.State.PENDING ? v.verifiedOn() : null,
        v.onlineRatio(),
        d.onboardingCost(),
        paid ? Money.ofFen(amount[p]) : Money.ZERO,
        new DeviceReasons(this, p),
        v.outcomes());
  }

  /** Slot {@code p}'s reasons, in the order the rules applied. */
  List<String> reasons(int p) {
    String[] after = late[p] == null ? new String[0] : late[p];
    Device d = devices[p];
    if ((bits[p] & FORMULA) != 0) {
      Money cost = d.onboardingCost();
      String[] all = new String[1 + after.length];
      all[0] =
          "award = min(cost "
              + cost
              + ", "
              + perDevice
              + ") = "
              + own(cost, perDevice)
              + " ("
              + source
              + ")";
      System.arraycopy(after, 0, all, 1, after.length);
      return List.of(all);
    }
    List<String> out = new java.util.ArrayList<>(ineligible[enterpriseOf[device[p]]]);
    if (early[p] != null) {
      out.addAll(List.of(early[p]));
    }
    Verification v = verifications[p];
    if (v.state() != Verification.State.VERIFIED) {
      String prefix = v.state() == Verification.State.PENDING ? "pending: " : "not verified: ";
      for (String f : v.failures()) {
        out.add(prefix + f);
      }
    }
    if (d.onboardingCost() == null) {
      out.add("no cost evidence");
    }
    out.addAll(List.of(after));
    return List.copyOf(out);
  }
}
