/** Exact money in fen, rates, and the one rounding rule of the meter. */
package dev.onboard.meter.money;
