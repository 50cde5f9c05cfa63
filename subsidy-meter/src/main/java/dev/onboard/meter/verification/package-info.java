/** Verification of devices as "上平台" from evidence rows (POLICIES.md › VERIFICATION). */
package dev.onboard.meter.verification;
