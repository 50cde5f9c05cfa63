package dev.onboard.meter.inventory;

import java.util.Objects;

/**
 * How long one enterprise was connected to the platform and how long it used it in the year: one
 * row of activity.csv (P6, 中山 四(五)).
 *
 * <p>Immutable and thread-safe.
 *
 * @param enterpriseId the enterprise
 * @param connectedSeconds seconds connected to the platform, ≥ 0
 * @param usedSeconds seconds using the platform, 0 … {@code connectedSeconds}
 */
public record ActivityRow(String enterpriseId, long connectedSeconds, long usedSeconds) {

  /** Checks the numbers. */
  public ActivityRow {
    Objects.requireNonNull(enterpriseId, "enterpriseId");
    if (connectedSeconds < 0 || usedSeconds < 0) {
      throw new IllegalArgumentException("connected_seconds and used_seconds cannot be negative");
    }
    if (usedSeconds > connectedSeconds) {
      throw new IllegalArgumentException(
          "used_seconds "
              + usedSeconds
              + " exceeds connected_seconds "
              + connectedSeconds
              + ": an enterprise uses the platform only while connected to it");
    }
  }
}
