/**
 * The durable outbox: every point for the central store is on disk before it counts, and leaves in
 * order once the store has it.
 */
package dev.onboard.gateway.outbox;
