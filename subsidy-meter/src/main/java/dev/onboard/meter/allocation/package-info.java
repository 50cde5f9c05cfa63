/** Allocation: pure functions turning verified claims into awards with their reasons. */
package dev.onboard.meter.allocation;
