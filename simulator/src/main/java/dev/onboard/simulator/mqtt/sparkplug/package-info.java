/**
 * Simulated Sparkplug B (spBv1.0) edge nodes with their devices: a small protobuf encoder of the
 * Sparkplug B payload, edge nodes that birth, publish, die and rebirth on request, and faults on
 * demand (Will or no Will, skipped and replayed seq, a late Will of an old session, malformed
 * payloads, clock skew, frozen values, a duplicated serial, historical data).
 */
package dev.onboard.simulator.mqtt.sparkplug;
