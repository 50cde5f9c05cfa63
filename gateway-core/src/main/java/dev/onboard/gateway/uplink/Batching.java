package dev.onboard.gateway.uplink;

import dev.onboard.gateway.outbox.Record;
import java.util.ArrayList;
import java.util.List;

/**
 * Batching by size and time, as pure functions of the points read and the time: a batch is cut at
 * {@code batchPoints} points or before the point that would take it past {@code batchBytes} bytes,
 * and goes when it is full or when its oldest point has waited {@code linger}. Only the partial
 * batch at the tail of the queue can be held back; batches before it are full by construction.
 *
 * <p>Thread-safety: stateless.
 */
final class Batching {

  private Batching() {}

  /**
   * Cuts {@code records} into batches of at most {@code batchPoints} points and about {@code
   * batchBytes} bytes of line protocol (a single larger point makes a batch of its own), in order.
   */
  static List<List<Record>> split(List<Record> records, int batchPoints, int batchBytes) {
    List<List<Record>> parts = new ArrayList<>();
    int from = 0;
    int bytes = 0;
    for (int i = 0; i < records.size(); i++) {
      int size = records.get(i).payload().length + 1;
      if (i > from && (i - from == batchPoints || bytes + size > batchBytes)) {
        parts.add(records.subList(from, i));
        from = i;
        bytes = 0;
      }
      bytes += size;
    }
    if (from < records.size()) {
      parts.add(records.subList(from, records.size()));
    }
    return parts;
  }

  /**
   * How many of {@code records} (read from the head of a queue) may be written now: all of them
   * when more points wait behind them, when the last batch is full, or when the oldest point of the
   * last batch was appended {@code lingerMillis} or more before {@code nowMillis}; otherwise only
   * the full batches before the last one (possibly none).
   *
   * @param moreBehind whether the queue holds points after {@code records}, so the last batch will
   *     not grow by waiting
   * @param nowMillis epoch ms by the outbox's clock, the clock of {@link Record#appendedAtMillis()}
   */
  static int due(
      List<Record> records,
      boolean moreBehind,
      int batchPoints,
      int batchBytes,
      long lingerMillis,
      long nowMillis) {
    if (records.isEmpty() || moreBehind) {
      return records.size();
    }
    List<List<Record>> parts = split(records, batchPoints, batchBytes);
    List<Record> last = parts.get(parts.size() - 1);
    if (last.size() >= batchPoints || nowMillis - last.get(0).appendedAtMillis() >= lingerMillis) {
      return records.size();
    }
    return records.size() - last.size();
  }

  /**
   * Milliseconds until the last batch of {@code records}, held back by {@link #due}, is due; at
   * least 1.
   */
  static long untilDue(
      List<Record> records, int batchPoints, int batchBytes, long lingerMillis, long nowMillis) {
    List<List<Record>> parts = split(records, batchPoints, batchBytes);
    long oldest = parts.get(parts.size() - 1).get(0).appendedAtMillis();
    return Math.max(1, oldest + lingerMillis - nowMillis);
  }
}
