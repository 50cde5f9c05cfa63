/** The {@code meter} command line: arguments, CSV files in, awards.csv and a summary out. */
package dev.onboard.meter.cli;
