/** Inputs of the meter: enterprises, devices and prior awards, as immutable records. */
package dev.onboard.meter.inventory;
