/** Simulated MQTT equipment: an embedded broker and JSON devices with faults on demand. */
package dev.onboard.simulator.mqtt;
