package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.EventSink;
import java.time.Instant;

/**
 * What happens to a message the adapter cannot use, whatever the payload format: it is counted per
 * device and reason, kept with the reason in the dead-letter file, and the device is flagged. Never
 * throws. Thread-safe.
 */
final class Refusals {

  private final EventSink sink;
  private final DeadLetterFile deadLetters;
  private final MalformedCounts counts;

  Refusals(EventSink sink, DeadLetterFile deadLetters, MalformedCounts counts) {
    this.sink = sink;
    this.deadLetters = deadLetters;
    this.counts = counts;
  }

  /**
   * @param deviceId the inventory device, or null when the message is about none (then only counted
   *     under {@code countKey} and dead-lettered)
   * @param countKey what to count under: the device id, or e.g. a Sparkplug path
   */
  void refuse(
      String deviceId,
      String countKey,
      String topic,
      byte[] payload,
      Instant now,
      String reason,
      String detail,
      DeviceEvent.Flag flag) {
    counts.increment(countKey, reason);
    deadLetters.write(now, countKey, topic, reason, detail, payload);
    if (deviceId != null) {
      sink.event(new DeviceEvent.Flagged(deviceId, now, flag, reason + ": " + detail));
    }
  }
}
