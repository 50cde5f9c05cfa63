/** The gateway's Micrometer meters, scraped by Prometheus at {@code /metrics}. */
package dev.onboard.gateway.metrics;
