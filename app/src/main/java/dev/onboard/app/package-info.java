/**
 * The {@code onboard} executable: one command line for the gateway, the demo, the meter and the
 * simulator.
 */
package dev.onboard.app;
