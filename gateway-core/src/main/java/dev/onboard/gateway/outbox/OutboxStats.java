package dev.onboard.gateway.outbox;

/**
 * How the outbox stands, for the API and metrics. Immutable.
 *
 * @param telemetryDepth telemetry points not yet delivered
 * @param evidenceDepth status, presence and evidence points not yet delivered
 * @param oldestAgeMillis age of the oldest undelivered point, ms; 0 when empty
 * @param diskBytes disk taken by the outbox's segment files
 * @param quotaBytes the configured quota
 * @param droppedTelemetry telemetry points dropped to stay under the quota since start
 * @param tornRecords torn records found and discarded at start (a crash during a write)
 * @param overQuota true when evidence alone exceeds the quota (it is kept anyway)
 */
public record OutboxStats(
    long telemetryDepth,
    long evidenceDepth,
    long oldestAgeMillis,
    long diskBytes,
    long quotaBytes,
    long droppedTelemetry,
    long tornRecords,
    boolean overQuota) {}
