package dev.onboard.gateway.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the outbox keeps points. Immutable.
 *
 * @param dir its directory, under the gateway's data dir
 * @param quotaBytes the most disk it may take; telemetry is dropped, oldest first, to stay under it
 * @param segmentBytes the most one segment file holds (the quota counts each at this size); a
 *     quarter of the quota at most
 * @param telemetryFsync how often telemetry is forced to disk: at most this much of it is at risk
 *     on power loss (a killed process loses none)
 */
public record OutboxConfig(Path dir, long quotaBytes, int segmentBytes, Duration telemetryFsync) {

  public static final long DEFAULT_QUOTA = 1L << 30;
  public static final int DEFAULT_SEGMENT = 16 << 20;
  public static final Duration DEFAULT_FSYNC = Duration.ofSeconds(1);

  public OutboxConfig {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(telemetryFsync, "telemetryFsync");
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException("segmentBytes must be at least 4096");
    }
    if (quotaBytes < 4L * segmentBytes) {
      throw new IllegalArgumentException("quotaBytes must hold at least four segments");
    }
  }

  /** Defaults: 1 GiB quota, 16 MiB segments, telemetry fsynced every second. */
  public static OutboxConfig defaults(Path dir) {
    return new OutboxConfig(dir, DEFAULT_QUOTA, DEFAULT_SEGMENT, DEFAULT_FSYNC);
  }
}
