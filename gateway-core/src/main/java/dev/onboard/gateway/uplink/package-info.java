/**
 * The uplink to the central store: points from the outbox to InfluxDB's {@code /write} as line
 * protocol, and InfluxQL reads for the platform view.
 */
package dev.onboard.gateway.uplink;
