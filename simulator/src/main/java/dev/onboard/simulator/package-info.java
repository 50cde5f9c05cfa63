/**
 * A simulated factory: OPC UA servers with devices, an embedded MQTT broker and MQTT devices,
 * speaking only wire protocols.
 */
package dev.onboard.simulator;
