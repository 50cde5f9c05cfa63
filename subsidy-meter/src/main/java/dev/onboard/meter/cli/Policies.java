package dev.onboard.meter.cli;

import dev.onboard.meter.policy.BuiltinPolicies;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.policy.PolicyFile;
import dev.onboard.meter.policy.PolicyFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Resolves {@code --policy}: a built-in name, or a YAML policy file. Stateless. */
final class Policies {
  private Policies() {}

  static Policy resolve(String nameOrFile) throws UsageException, PolicyFileException {
    Optional<Policy> builtin = BuiltinPolicies.byName(nameOrFile);
    if (builtin.isPresent()) {
      return builtin.get();
    }
    boolean yaml = nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml");
    if (yaml || Files.isRegularFile(Path.of(nameOrFile))) {
      return PolicyFile.load(Path.of(nameOrFile), nameOrFile);
    }
    throw new UsageException(
        "unknown policy \""
            + nameOrFile
            + "\": use a built-in name ("
            + String.join(", ", BuiltinPolicies.names())
            + ") or a .yaml policy file");
  }
}
