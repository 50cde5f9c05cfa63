package dev.onboard.meter.allocation;

import dev.onboard.meter.inventory.Device;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.policy.Overflow;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.verification.Verification;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Allocates a per-device policy (P1 {@code huangpu-device-2019} and policy files of that kind): a
 * pure function from claims, prior awards, year and as-of date to one {@link Award} per device of
 * the year, sorted by enterprise then device. The order of the input lists never matters.
 *
 * <p>Rules, in the order they are applied:
 *
 * <ol>
 *   <li>Eligibility of the enterprise (穗埔府规〔2019〕9号 第二条) → {@code INELIGIBLE_ENTERPRISE}.
 *   <li>One identity, one device (VERIFICATION 1): earliest {@code claimedOn}, then lowest id,
 *       keeps it → {@code DUPLICATE_IDENTITY}.
 *   <li>A device is onboarded once (第四条): paid by this policy before → {@code ALREADY_AWARDED}.
 *   <li>Verification → {@code PENDING} / {@code NOT_VERIFIED}; no cost → {@code NO_COST}.
 *   <li>award = min(cost, per-device amount) (第四条 "最高2000元全额补贴").
 *   <li>就高不重复 (第十条): top-up = award − received elsewhere; 0 → {@code COVERED_ELSEWHERE}.
 *   <li>Per enterprise per year cap (第四条 "单个企业每年补助不超过10万元"), in order of {@code verifiedOn} then
 *       device id: the crossing device is {@code PARTIAL}, the rest {@code CAPPED}.
 * </ol>
 *
 * A device belongs to the year its window ends; pending devices and devices without Good data to
 * the year of the as-of date. With {@code overflow: carry-over}, verified devices of earlier years
 * that were never paid by this policy join this year's claim.
 *
 * <p>Thread-safe (stateless). Enterprises are allocated in parallel on the common fork-join pool;
 * the result does not depend on it. The returned list is immutable and keeps each device's outcome
 * as numbers ({@link DeviceAwards}): an {@link Award} and its reasons are made when read.
 */
public final class DeviceAllocator {

  private DeviceAllocator() {}

  /**
   * Allocates {@code policy} for {@code year}.
   *
   * @param claims every device of the inventory (all years: identities are unique across years)
   * @param prior awards already paid, by this or other policies
   * @param asOf the as-of date the verifications were made for
   * @return one award per device of the year, sorted by enterprise id then device id; immutable
   */
  public static List<Award> allocate(
      Policy policy, int year, LocalDate asOf, List<DeviceClaim> claims, List<PriorAward> prior) {
    DeviceClaim[] c = claims.toArray(DeviceClaim[]::new);
    // The identities (a million entries) on another core while this one numbers the enterprises.
    CompletableFuture<int[]> owners = CompletableFuture.supplyAsync(() -> identityOwners(c));
    PriorIndex paid = new PriorIndex(policy.name(), year, prior);
    Grouping g = groupByEnterprise(c);
    int[] owner = owners.join();
    Facts f = Facts.of(c, g, owner, paid, asOf);
    DeviceAwards out = new DeviceAwards(policy, year, c, g.enterprise, g.firsts, g.eligibility);
    Eligibility eligibility = new Eligibility(policy);
    // Past identities and prior awards, each enterprise is on its own (DESIGN.md › Scale: "a
    // parallel loop over enterprises"): each writes only its own slice of the arrays, and the
    // slices lie in enterprise order, so the output does not depend on the threads.
    IntStream.range(0, g.firsts.length)
        .parallel()
        .forEach(
            e -> {
              g.eligibility[e] = eligibility.failuresOf(g.firsts[e]);
              allocateEnterprise(policy, year, c, owner, paid, g, f, e, out);
            });
    out.seal(g.start);
    return out;
  }

  /**
   * Claims grouped by enterprise: enterprises numbered 0, 1, 2, … in id order; {@code devices[
   * start[e] … start[e + 1])} are the claims of enterprise {@code e} in input order.
   */
  private record Grouping(
      int[] enterprise,
      Enterprise[] firsts,
      List<String>[] eligibility,
      int[] start,
      int[] devices) {}

  /**
   * Numbers the enterprises in id order and groups the claims by a counting sort on that number (a
   * map of lists per enterprise cost a million map updates and 200,000 lists).
   */
  @SuppressWarnings("unchecked")
  private static Grouping groupByEnterprise(DeviceClaim[] c) {
    int n = c.length;
    int[] enterprise = new int[n];
    // By the Enterprise object first (devices of one enterprise usually share it: no String to
    // touch, no map node), then by id for an equal enterprise read twice.
    Map<Enterprise, Integer> byObject = new IdentityHashMap<>();
    Map<String, Integer> byId = new HashMap<>();
    List<Enterprise> firsts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Enterprise e = c[i].enterprise();
      Integer k = byObject.get(e);
      if (k == null) {
        k = byId.get(e.id());
        if (k == null) {
          k = firsts.size();
          byId.put(e.id(), k);
          firsts.add(e); // the first claim's enterprise is the one eligibility is tested on
        }
        byObject.put(e, k);
      }
      enterprise[i] = k;
    }
    int m = firsts.size();
    int[] rank = inIdOrder(firsts);
    Enterprise[] sorted = new Enterprise[m];
    for (int k = 0; k < m; k++) {
      sorted[rank[k]] = firsts.get(k);
    }
    int[] start = new int[m + 1];
    for (int i = 0; i < n; i++) {
      enterprise[i] = rank[enterprise[i]];
      start[enterprise[i] + 1]++;
    }
    for (int r = 0; r < m; r++) {
      start[r + 1] += start[r];
    }
    int[] next = Arrays.copyOf(start, m);
    int[] devices = new int[n];
    for (int i = 0; i < n; i++) {
      devices[next[enterprise[i]]++] = i;
    }
    return new Grouping(enterprise, sorted, new List[m], start, devices);
  }

  /**
   * The rank of each enterprise's id in {@link String#compareTo} order, compared by {@link #idKey}
   * first: the keys lie together in memory, the Strings are scattered over the heap.
   */
  private static int[] inIdOrder(List<Enterprise> enterprises) {
    int m = enterprises.size();
    String[] ids = new String[m];
    long[] key = new long[m];
    Integer[] order = new Integer[m];
    for (int k = 0; k < m; k++) {
      ids[k] = enterprises.get(k).id();
      key[k] = idKey(ids[k]);
      order[k] = k;
    }
    Arrays.sort(
        order,
        (x, y) -> {
          int k = compareKeys(key[x], key[y]);
          return k != 0 ? k : ids[x].compareTo(ids[y]);
        });
    int[] rank = new int[m];
    for (int r = 0; r < m; r++) {
      rank[order[r]] = r;
    }
    return rank;
  }

  /**
   * An id's first 8 characters packed into a {@code long} (a missing character packs as 0), or
   * {@link #NO_KEY} when one is past Latin-1. For the ids of the benchmark that is the whole id.
   */
  static long idKey(String id) {
    long x = 0;
    for (int j = 0; j < 8; j++) {
      char ch = j < id.length() ? id.charAt(j) : 0;
      if (ch > 0xFF) {
        return NO_KEY;
      }
      x = (x << 8) | ch;
    }
    return x;
  }

  /** Also the key of "ÿÿÿÿÿÿÿÿ…", which is fine: a key only ever spares a String comparison. */
  private static final long NO_KEY = -1;

  /**
   * The order of two ids by their keys when that tells, else 0 (then compare the Strings): unequal
   * keys order as {@link String#compareTo} orders their ids, since a missing character packs below
   * any other, as a shorter String sorts first.
   */
  static int compareKeys(long x, long y) {
    return x == NO_KEY || y == NO_KEY ? 0 : Long.compareUnsigned(x, y);
  }

  /**
   * Allocates enterprise {@code e}: fills {@code out}'s slots {@code start[e] …} with its awards,
   * sorted by device id, and notes how many there are.
   */
  private static void allocateEnterprise(
      Policy policy,
      int year,
      DeviceClaim[] c,
      int[] owner,
      PriorIndex paid,
      Grouping g,
      Facts f,
      int e,
      DeviceAwards out) {
    int from = g.start[e];
    int to = g.start[e + 1];
    long paidBefore = 0;
    int kept = from;
    int[] source = new int[to - from]; // each kept slot's slot in g.devices and f
    for (int p = from; p < to; p++) {
      int i = g.devices[p];
      int facts = f.flags[p];
      if ((facts & Facts.KNOWN) != 0) {
        paidBefore = Math.addExact(paidBefore, paid.paidHereThisYear(c[i].device().id()).fen());
      }
      int deviceYear = f.year[p];
      boolean carried =
          policy.overflow() == Overflow.CARRY_OVER
              && deviceYear < year
              && (facts & Facts.VERIFIED) != 0;
      if (deviceYear != year && !carried) {
        continue;
      }
      assess(policy, c, i, owner[i], paid, g.eligibility[e], f, p, out, kept);
      if (carried && !out.payable(kept)) {
        continue;
      }
      if (carried) {
        out.addLate(kept, "carried over from " + deviceYear + " (overflow: carry-over)");
      }
      source[kept - from] = p;
      out.devices[kept] = f.device[p];
      out.verifications[kept] = f.verification[p];
      out.device[kept++] = i;
    }
    applyEnterpriseCap(policy, c, out, from, kept, Money.ofFen(paidBefore));
    sortSlots(
        out,
        from,
        kept,
        (x, y) -> {
          int px = source[x - from];
          int py = source[y - from];
          int k = compareKeys(f.key[px], f.key[py]);
          return k != 0
              ? k
              : c[out.device[x]].device().id().compareTo(c[out.device[y]].device().id());
        });
    out.count[e] = kept - from;
  }

  /**
   * What the allocation needs of each claim, read in input order (the order the claims lie in
   * memory, on every core) into arrays in enterprise order ({@code g.devices}' slots), so that the
   * loop over enterprises reads arrays one after another instead of chasing each claim's objects
   * across the heap. The objects are read again only for the few devices that need text (prior
   * awards, shared identities, caps, ties of ids).
   */
  private record Facts(
      int[] flags,
      int[] year,
      long[] cost,
      long[] key,
      Device[] device,
      Verification[] verification) {
    static final int VERIFIED = 1;
    static final int PENDING = 2;
    static final int FAILED = 4; // some verification rule failed
    static final int NO_COST = 8;
    static final int KNOWN = 16; // in prior.csv
    static final int DUPLICATE = 32; // another claim keeps its identity

    static Facts of(DeviceClaim[] c, Grouping g, int[] owner, PriorIndex paid, LocalDate asOf) {
      int n = c.length;
      int[] slot = new int[n];
      for (int p = 0; p < n; p++) {
        slot[g.devices[p]] = p;
      }
      Facts f =
          new Facts(
              new int[n], new int[n], new long[n], new long[n], new Device[n], new Verification[n]);
      IntStream.range(0, n)
          .parallel()
          .forEach(
              i -> {
                int p = slot[i];
                DeviceClaim claim = c[i];
                String id = claim.device().id();
                Verification v = claim.verification();
                Money cost = claim.device().onboardingCost();
                int flags = 0;
                if (v.state() == Verification.State.VERIFIED) {
                  flags |= VERIFIED;
                } else {
                  flags |= v.state() == Verification.State.PENDING ? PENDING : 0;
                  flags |= hasFailure(v) ? FAILED : 0;
                }
                if (cost == null) {
                  flags |= NO_COST;
                } else {
                  f.cost[p] = cost.fen();
                }
                flags |= paid.knows(id) ? KNOWN : 0;
                if (owner[i] != i && !c[owner[i]].device().id().equals(id)) {
                  flags |= DUPLICATE;
                }
                f.key[p] = idKey(id);
                f.device[p] = claim.device();
                f.verification[p] = v;
                f.flags[p] = flags;
                f.year[p] = yearOf(v, asOf);
              });
      return f;
    }
  }

  /** The award year of a device: the year its window ends, else the year of the as-of date. */
  static int yearOf(Verification v, LocalDate asOf) {
    return v.state() == Verification.State.PENDING || v.verifiedOn() == null
        ? asOf.getYear()
        : v.verifiedOn().getYear();
  }

  /**
   * For each claim, the claim that keeps its identity: earliest {@code claimedOn}, then lowest id,
   * then first in the input. One open-addressing table of claim numbers (hash and number in a
   * {@code long}), not a million map entries for the GC to copy.
   */
  private static int[] identityOwners(DeviceClaim[] c) {
    int n = c.length;
    long[] table = new long[Math.max(16, Integer.highestOneBit(Math.max(1, n)) * 4)];
    int mask = table.length - 1;
    int[] slotOf = new int[n];
    for (int i = 0; i < n; i++) {
      String identity = c[i].device().identity();
      int h = identity.hashCode();
      int slot = spread(h) & mask;
      while (true) {
        long s = table[slot];
        if (s == 0) {
          table[slot] = ((long) h << 32) | (i + 1);
          break;
        }
        int j = (int) s - 1;
        if ((int) (s >>> 32) == h && c[j].device().identity().equals(identity)) {
          if (firstClaim(c[j], c[i]) > 0) {
            table[slot] = ((long) h << 32) | (i + 1);
          }
          break;
        }
        slot = (slot + 1) & mask;
      }
      slotOf[i] = slot;
    }
    int[] owner = slotOf; // each slot read once, then overwritten by its owner
    for (int i = 0; i < n; i++) {
      owner[i] = (int) table[slotOf[i]] - 1;
    }
    return owner;
  }

  private static int firstClaim(DeviceClaim a, DeviceClaim b) {
    int k = a.device().claimedOn().compareTo(b.device().claimedOn());
    return k != 0 ? k : a.device().id().compareTo(b.device().id());
  }

  private static int spread(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 16);
  }

  /**
   * Works out claim {@code i}'s status bits and amount into slot {@code p} of {@code out}, from its
   * facts in slot {@code q} of {@code f}.
   */
  private static void assess(
      Policy policy,
      DeviceClaim[] c,
      int i,
      int owner,
      PriorIndex paid,
      List<String> ineligible,
      Facts f,
      int q,
      DeviceAwards out,
      int p) {
    int facts = f.flags[q];
    int bits = ineligible.isEmpty() ? 0 : DeviceAwards.bit(AwardStatus.INELIGIBLE_ENTERPRISE);
    out.late[p] = null;
    out.early[p] = null;
    if ((facts & Facts.DUPLICATE) != 0) {
      Device d = c[i].device();
      bits |= DeviceAwards.bit(AwardStatus.DUPLICATE_IDENTITY);
      out.early[p] =
          DeviceAwards.append(
              out.early[p],
              "identity "
                  + d.identity()
                  + " already claimed by device "
                  + c[owner].device().id()
                  + " on "
                  + c[owner].device().claimedOn()
                  + " (VERIFICATION 1)");
    }
    boolean known = (facts & Facts.KNOWN) != 0;
    Money paidHere = known ? paid.paidHere(c[i].device().id()) : Money.ZERO;
    if (paidHere.isPositive()) {
      bits |= DeviceAwards.bit(AwardStatus.ALREADY_AWARDED);
      out.early[p] =
          DeviceAwards.append(
              out.early[p],
              "already paid "
                  + paidHere
                  + " by "
                  + policy.name()
                  + " ("
                  + policy.source()
                  + ": once per device)");
    }
    if ((facts & Facts.FAILED) != 0) {
      bits |=
          DeviceAwards.bit(
              (facts & Facts.PENDING) != 0 ? AwardStatus.PENDING : AwardStatus.NOT_VERIFIED);
    }
    if ((facts & Facts.NO_COST) != 0) {
      bits |= DeviceAwards.bit(AwardStatus.NO_COST);
    }
    out.amount[p] = 0;
    if (bits != 0) {
      out.bits[p] = bits;
      return; // nothing to pay: no amount to work out
    }
    // The award formula is always the first reason here, since every reason before it comes with
    // a status and a status returns above; it is spelled out when read (DeviceReasons).
    long own = Math.min(Math.max(f.cost[q], 0), policy.perDeviceAmount().fen());
    bits = DeviceAwards.FORMULA;
    Map<String, Money> elsewhere = known ? paid.paidElsewhere(c[i].device().id()) : Map.of();
    if (elsewhere.isEmpty()) {
      // What Duplicates.settle returns for nothing received elsewhere (own, already whole fen, no
      // reason), without its BigDecimal, Money and Settled for each of a million devices.
      out.amount[p] = own;
      out.bits[p] = bits;
      return;
    }
    Duplicates.Settled s =
        Duplicates.settle(
            policy, BigDecimal.valueOf(own), c[i].device().onboardingCost(), elsewhere);
    out.amount[p] = s.amount().fen();
    if (s.covered()) {
      bits |= DeviceAwards.bit(AwardStatus.COVERED_ELSEWHERE);
      out.addLate(p, s.reason());
    } else if (s.reason() != null) {
      out.addLate(p, s.reason());
    }
    out.bits[p] = bits;
  }

  /** Whether a rule failed: a status is flagged once per failed rule, so none means no status. */
  private static boolean hasFailure(Verification v) {
    for (var o : v.outcomes()) {
      if (!o.passed()) {
        return true;
      }
    }
    return false;
  }

  private static void applyEnterpriseCap(
      Policy policy, DeviceClaim[] c, DeviceAwards out, int from, int to, Money paidBefore) {
    if (policy.perEnterpriseYearCap() == null) {
      return;
    }
    Money cap = policy.perEnterpriseYearCap();
    long left = Math.max(0, Math.subtractExact(cap.fen(), paidBefore.fen()));
    int[] list = new int[to - from];
    int size = 0;
    long payable = 0;
    for (int p = from; p < to; p++) {
      if (out.payable(p)) {
        list[size++] = p;
        payable = Math.addExact(payable, out.amount[p]);
      }
    }
    if (payable <= left) {
      // Every device fits, in whatever order: no need to sort (by verifiedOn, reading each
      // device's verification again), which most enterprises never reach.
      return;
    }
    int[] slots = Arrays.copyOf(list, size);
    sortInts(
        slots,
        (x, y) -> {
          Verification vx = c[out.device[x]].verification();
          Verification vy = c[out.device[y]].verification();
          int k = vx.verifiedOn().compareTo(vy.verifiedOn());
          return k != 0
              ? k
              : c[out.device[x]].device().id().compareTo(c[out.device[y]].device().id());
        });
    String capText = null; // spelled once per enterprise, and only when a device reaches the cap
    for (int p : slots) {
      long amount = out.amount[p];
      if (left == 0) {
        capText = capText != null ? capText : capText(policy, cap, paidBefore);
        out.bits[p] |= DeviceAwards.bit(AwardStatus.CAPPED);
        out.addLate(p, "enterprise annual cap reached: " + capText);
        out.amount[p] = 0;
      } else if (amount > left) {
        capText = capText != null ? capText : capText(policy, cap, paidBefore);
        out.bits[p] |= DeviceAwards.bit(AwardStatus.PARTIAL);
        out.addLate(
            p,
            "partial: "
                + Money.ofFen(left)
                + " of "
                + Money.ofFen(amount)
                + " left under the "
                + capText);
        out.amount[p] = left;
      }
      left = Math.subtractExact(left, out.amount[p]);
    }
  }

  private static String capText(Policy policy, Money cap, Money paidBefore) {
    String text = "enterprise annual cap " + cap + " (" + policy.source() + ")";
    return paidBefore.isPositive() ? text + ", " + paidBefore + " paid earlier this year" : text;
  }

  /** Compares two slots (or claim numbers). */
  @FunctionalInterface
  private interface IntOrder {
    int compare(int x, int y);
  }

  /**
   * Sorts slots {@code [from, to)} of {@code out} by {@code bySlot}, stably, moving each slot's
   * outcome with it.
   */
  private static void sortSlots(DeviceAwards out, int from, int to, IntOrder bySlot) {
    int n = to - from;
    if (n < 2) {
      return;
    }
    int[] slots = new int[n];
    for (int k = 0; k < n; k++) {
      slots[k] = from + k;
    }
    sortInts(slots, bySlot);
    out.permute(from, slots);
  }

  /** Sorts {@code a} by {@code order}, stably (an insertion sort for the few devices of most). */
  private static void sortInts(int[] a, IntOrder order) {
    if (a.length <= 32) {
      for (int k = 1; k < a.length; k++) {
        int x = a[k];
        int j = k - 1;
        while (j >= 0 && order.compare(a[j], x) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = x;
      }
      return;
    }
    Integer[] boxed = new Integer[a.length];
    for (int k = 0; k < a.length; k++) {
      boxed[k] = a[k];
    }
    Arrays.sort(boxed, order::compare); // TimSort: stable
    for (int k = 0; k < a.length; k++) {
      a[k] = boxed[k];
    }
  }
}
