/**
 * The HTTP API under {@code /api/v1} (JSON, bearer tokens by role), Prometheus {@code /metrics} and
 * the dashboard, served with Netty.
 */
package dev.onboard.gateway.api;
