/** RFC 4180 CSV reading and writing, UTF-8, by hand (no CSV library). */
package dev.onboard.meter.csv;
