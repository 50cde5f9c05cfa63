package dev.onboard.gateway.outbox;

/**
 * What kind of point a record holds, which decides how it is kept. Telemetry may be dropped, oldest
 * first and counted, when the disk quota is full; everything else is evidence and never dropped.
 */
public enum PointClass {
  /**
   * Tag values. At most the fsync interval of it is at risk on power loss; droppable under quota.
   */
  TELEMETRY(true),
  /** Device state changes. Fsynced before the append returns; never dropped. */
  STATUS(false),
  /** Per-device per-minute presence. Fsynced before the append returns; never dropped. */
  PRESENCE(false),
  /**
   * Ledger checkpoints and gateway heartbeats. Fsynced before the append returns; never dropped.
   */
  EVIDENCE(false);

  private final boolean droppable;

  PointClass(boolean droppable) {
    this.droppable = droppable;
  }

  public boolean droppable() {
    return droppable;
  }
}
