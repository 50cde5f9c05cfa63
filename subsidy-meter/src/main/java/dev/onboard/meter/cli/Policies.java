package dev.onboard.meter.cli;

import dev.onboard.meter.policy.BuiltinPolicies;
import dev.onboard.meter.policy.Policy;

/** Resolves {@code --policy}: a built-in name, or a YAML policy file. Stateless. */
final class Policies {
  private Policies() {}

  static Policy resolve(String nameOrFile) throws UsageException {
    return BuiltinPolicies.byName(nameOrFile)
        .orElseThrow(
            () ->
                new UsageException(
                    "unknown policy \""
                        + nameOrFile
                        + "\": use a built-in name ("
                        + String.join(", ", BuiltinPolicies.names())
                        + ") or a .yaml policy file"));
  }
}
