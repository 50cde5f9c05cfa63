/**
 * Sparkplug B (spBv1.0) for the MQTT adapter: a hand-written protobuf wire-format decoder for the
 * Sparkplug B {@code Payload}, the small encoder the host needs for rebirth requests, topic
 * parsing, and {@link dev.onboard.adapters.mqtt.sparkplug.SparkplugHost}, the host application's
 * state per edge node (bdSeq, seq, aliases, reorder timeout, rebirth requests).
 */
package dev.onboard.adapters.mqtt.sparkplug;
