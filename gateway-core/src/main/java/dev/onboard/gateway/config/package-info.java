/**
 * The gateway's configuration: one YAML file read into immutable records, validated before anything
 * starts.
 */
package dev.onboard.gateway.config;
