package dev.onboard.gateway.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points on their way to the central store, on disk. Two queues: telemetry, and evidence (status,
 * presence, checkpoints), each delivered in the order appended. An append returns once the point is
 * in the page cache (one {@code write()} per call), so a killed gateway loses nothing it appended;
 * evidence is also forced to disk before the append returns, telemetry at least every {@link
 * OutboxConfig#telemetryFsync()}. Files are never memory-mapped, so what the outbox holds stays in
 * the page cache and out of the gateway's resident memory.
 *
 * <p>Under the disk quota, the oldest undelivered telemetry is dropped and counted; evidence never
 * is. The reader ({@link #peek}/{@link #commit}) is the uplink; it gets evidence first.
 *
 * <p>Thread-safety: appends may come from any thread; one reader at a time.
 */
public final class Outbox implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final OutboxConfig config;
  private final Clock clock;
  private final SegmentedLog telemetry;
  private final SegmentedLog evidence;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong appendCalls = new AtomicLong();
  private final ReentrantLock signalLock = new ReentrantLock();
  private final Condition appended = signalLock.newCondition();
  private final ScheduledExecutorService flusher;
  private volatile boolean overQuota;

  private Outbox(OutboxConfig config, Clock clock, SegmentedLog telemetry, SegmentedLog evidence) {
    this.config = config;
    this.clock = clock;
    this.telemetry = telemetry;
    this.evidence = evidence;
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "onboard-outbox-fsync");
              t.setDaemon(true);
              return t;
            });
    long every = config.telemetryFsync().toMillis();
    flusher.scheduleAtFixedRate(this::forceTelemetry, every, every, TimeUnit.MILLISECONDS);
  }

  /** Opens (or creates) the outbox in {@code config.dir()}, discarding torn tails from a crash. */
  public static Outbox open(OutboxConfig config, Clock clock) throws IOException {
    SegmentedLog telemetry =
        new SegmentedLog(config.dir().resolve("telemetry"), config.segmentBytes());
    SegmentedLog evidence =
        new SegmentedLog(config.dir().resolve("evidence"), config.segmentBytes());
    return new Outbox(config, clock, telemetry, evidence);
  }

  /**
   * Appends one point. Returns false if it was telemetry dropped to respect the quota (counted).
   *
   * @throws UncheckedIOException if the disk refuses the write (e.g. full): the point is not kept
   */
  public boolean append(PointClass pointClass, String line) {
    return appendAll(pointClass, List.of(line)) == 1;
  }

  /**
   * Appends points of one class; evidence is forced to disk once for the batch. Returns how many
   * were kept (fewer only for telemetry under the quota).
   */
  public int appendAll(PointClass pointClass, List<String> lines) {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    int[] ends = new int[lines.size()];
    for (int i = 0; i < ends.length; i++) {
      all.writeBytes(lines.get(i).getBytes(StandardCharsets.UTF_8));
      ends[i] = all.size();
    }
    return appendAll(pointClass, all.toByteArray(), ends, ends.length);
  }

  /**
   * {@link #appendAll(PointClass, List)} of lines already encoded as UTF-8, one after another in
   * {@code bytes}: line {@code i} of {@code count} spans {@code [i == 0 ? 0 : ends[i - 1],
   * ends[i])}. The caller may reuse the arrays once this returns; nothing per line is allocated.
   */
  public int appendAll(PointClass pointClass, byte[] bytes, int[] ends, int count) {
    SegmentedLog queue = pointClass.droppable() ? telemetry : evidence;
    long now = clock.millis();
    int kept = 0;
    try {
      // Holding the queue's lock makes the room check and the append one step for concurrent
      // appenders; makeRoom takes no other queue's lock, so two queues cannot deadlock.
      synchronized (queue) {
        try {
          for (int i = 0; i < count; i++) {
            int at = i == 0 ? 0 : ends[i - 1];
            int length = ends[i] - at;
            if (!queue.fits(length) && !makeRoom(pointClass)) {
              dropped.incrementAndGet();
              continue;
            }
            queue.append(now, pointClass, bytes, at, length);
            kept++;
          }
        } finally {
          // One write for the whole batch, before anyone else may read the queue.
          queue.flush();
        }
      }
      if (!pointClass.droppable()) {
        queue.force();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("outbox cannot write to " + config.dir(), e);
    }
    if (kept > 0) {
      signal();
    }
    return kept;
  }

  /**
   * Before a new segment: frees quota by dropping old telemetry. False if the point must be
   * dropped.
   */
  private boolean makeRoom(PointClass pointClass) throws IOException {
    long needed = diskBytes() + config.segmentBytes();
    if (needed <= config.quotaBytes()) {
      return true;
    }
    if (!pointClass.droppable()) {
      // Evidence is never dropped; it may exceed the quota, and the stats say so.
      if (!overQuota) {
        log.error(
            "outbox: evidence exceeds the disk quota of {} bytes; keeping it anyway",
            config.quotaBytes());
      }
      overQuota = true;
      return true;
    }
    while (diskBytes() + config.segmentBytes() > config.quotaBytes()) {
      long lost = telemetry.dropOldest();
      if (lost < 0) {
        return false;
      }
      dropped.addAndGet(lost);
      log.warn(
          "outbox: quota of {} bytes reached, dropped {} undelivered telemetry points (oldest first)",
          config.quotaBytes(),
          lost);
    }
    return true;
  }

  private long diskBytes() {
    return telemetry.diskBytes() + evidence.diskBytes();
  }

  /** The next points to deliver: evidence first, then telemetry; empty when there are none. */
  public Batch peek(int maxPoints, int maxBytes) {
    List<Record> records = evidence.peek(maxPoints, maxBytes);
    boolean isEvidence = !records.isEmpty();
    if (!isEvidence) {
      records = telemetry.peek(maxPoints, maxBytes);
    }
    return new Batch(isEvidence, records);
  }

  /** Marks a batch delivered; it will not be read again, even after a restart. */
  public void commit(Batch batch) {
    if (batch.records().isEmpty()) {
      return;
    }
    long next = batch.records().get(batch.records().size() - 1).seq() + 1;
    try {
      (batch.evidence() ? evidence : telemetry).commit(next);
    } catch (IOException e) {
      throw new UncheckedIOException("outbox cannot record delivery in " + config.dir(), e);
    }
  }

  /** Waits up to {@code millis} for an append; returns at once if points are waiting. */
  public void awaitPoints(long millis) throws InterruptedException {
    signalLock.lock();
    try {
      if (telemetry.depth() + evidence.depth() == 0) {
        appended.await(millis, TimeUnit.MILLISECONDS);
      }
    } finally {
      signalLock.unlock();
    }
  }

  /**
   * How many appends that kept a point have returned so far; with {@link #awaitAppendAfter}, a
   * reader waits for points after what it read without missing one that came in between.
   */
  public long appendCount() {
    return appendCalls.get();
  }

  /** Waits up to {@code millis} until {@link #appendCount()} is past {@code seen}. */
  public void awaitAppendAfter(long seen, long millis) throws InterruptedException {
    signalLock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
      while (appendCalls.get() == seen && nanos > 0) {
        nanos = appended.awaitNanos(nanos);
      }
    } finally {
      signalLock.unlock();
    }
  }

  private void signal() {
    signalLock.lock();
    try {
      appendCalls.incrementAndGet();
      appended.signalAll();
    } finally {
      signalLock.unlock();
    }
  }

  public OutboxStats stats() {
    long oldest =
        Math.min(positiveOrMax(telemetry.oldestMillis()), positiveOrMax(evidence.oldestMillis()));
    return new OutboxStats(
        telemetry.depth(),
        evidence.depth(),
        oldest == Long.MAX_VALUE ? 0 : Math.max(0, clock.millis() - oldest),
        diskBytes(),
        config.quotaBytes(),
        dropped.get(),
        telemetry.tornRecords() + evidence.tornRecords(),
        overQuota);
  }

  private static long positiveOrMax(long v) {
    return v < 0 ? Long.MAX_VALUE : v;
  }

  private void forceTelemetry() {
    try {
      telemetry.force();
    } catch (IOException | RuntimeException e) {
      log.error("outbox: cannot force telemetry to disk", e);
    }
  }

  @Override
  public void close() throws IOException {
    flusher.shutdownNow();
    telemetry.close();
    evidence.close();
  }

  /**
   * Points read together, all of one queue. Immutable.
   *
   * @param evidence whether they are evidence (else telemetry)
   * @param records the points, in order
   */
  public record Batch(boolean evidence, List<Record> records) {
    public Batch {
      records = List.copyOf(records);
    }

    /** The points as one line-protocol body, UTF-8, each line ending in a newline. */
    public byte[] body() {
      int size = 0;
      for (Record r : records) {
        size += r.payload().length + 1;
      }
      byte[] out = new byte[size];
      int at = 0;
      for (Record r : records) {
        System.arraycopy(r.payload(), 0, out, at, r.payload().length);
        at += r.payload().length;
        out[at++] = '\n';
      }
      return out;
    }

    public List<String> lines() {
      List<String> out = new ArrayList<>(records.size());
      records.forEach(r -> out.add(r.line()));
      return out;
    }
  }
}
