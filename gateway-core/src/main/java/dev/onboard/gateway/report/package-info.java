/**
 * Verified device reports: the meter run on the evidence ledger for one enterprise and year, signed
 * with the gateway's key, written as canonical JSON, CSV and a printable bilingual page, and the
 * offline {@code verify} that checks such a report with nothing but the gateway's public key.
 */
package dev.onboard.gateway.report;
