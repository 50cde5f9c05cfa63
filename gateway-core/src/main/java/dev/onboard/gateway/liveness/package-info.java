/**
 * Per-device liveness: UNKNOWN → ONLINE → STALE → OFFLINE from Good data, keep-alives and
 * connection events; and per-device flags, raised by adapters or by identity checks, with condition
 * flags cleared when the adapter sees the condition go away. State changes and flag changes both
 * reach the tracker's listener as {@link dev.onboard.gateway.liveness.StateChange}s.
 */
package dev.onboard.gateway.liveness;
