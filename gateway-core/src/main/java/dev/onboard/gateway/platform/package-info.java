/**
 * The platform view: connected-device counts across every gateway, computed by InfluxDB with
 * InfluxQL GROUP BY.
 */
package dev.onboard.gateway.platform;
