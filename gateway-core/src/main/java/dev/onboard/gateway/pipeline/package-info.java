/**
 * The pipeline: every reading and event an adapter reports, handed once to liveness, metrics and
 * (later) outbox and ledger.
 */
package dev.onboard.gateway.pipeline;
