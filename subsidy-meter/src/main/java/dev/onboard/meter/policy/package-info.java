/** Subsidy policies as data: the built-ins of POLICIES.md and the YAML policy-file loader. */
package dev.onboard.meter.policy;
