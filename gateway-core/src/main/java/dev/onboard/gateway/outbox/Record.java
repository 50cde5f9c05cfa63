package dev.onboard.gateway.outbox;

/**
 * One point in the outbox. Immutable.
 *
 * @param seq its position in its queue, contiguous from 0 and never reused
 * @param appendedAtMillis when it was appended, epoch milliseconds by the outbox's clock
 * @param pointClass what it is
 * @param line one InfluxDB line-protocol line, without the trailing newline
 */
public record Record(long seq, long appendedAtMillis, PointClass pointClass, String line) {}
