/**
 * Per-device liveness: UNKNOWN → ONLINE → STALE → OFFLINE from Good data, keep-alives and
 * connection events.
 */
package dev.onboard.gateway.liveness;
