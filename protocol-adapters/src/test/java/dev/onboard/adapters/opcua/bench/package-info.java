/** Speed harnesses for the OPC UA adapter: run by scripts, never as tests. */
package dev.onboard.adapters.opcua.bench;
