/** The MQTT adapter (Eclipse Paho, MQTT 5 or 3.1.1): JSON devices by topic pattern. */
package dev.onboard.adapters.mqtt;
