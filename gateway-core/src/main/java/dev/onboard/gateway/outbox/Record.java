package dev.onboard.gateway.outbox;

import java.nio.charset.StandardCharsets;

/**
 * One point in the outbox. Immutable: the payload array is never modified after it is read.
 *
 * @param seq its position in its queue, contiguous from 0 and never reused
 * @param appendedAtMillis when it was appended, epoch milliseconds by the outbox's clock
 * @param pointClass what it is
 * @param payload one InfluxDB line-protocol line in UTF-8, without the trailing newline
 */
public record Record(long seq, long appendedAtMillis, PointClass pointClass, byte[] payload) {

  /** The line as text. */
  public String line() {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
