package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.Settings;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * NodeId strings from the configuration: {@code ns=2;s=X} (index) or {@code nsu=urn:...;s=X}
 * (namespace URI, resolved once connected, robust against servers that renumber namespaces).
 */
final class NodeIdText {

  private NodeIdText() {}

  static void check(Settings s, String key, String text) throws ConfigException {
    boolean ok =
        text.startsWith("nsu=") ? expanded(text).isPresent() : NodeId.parseSafe(text).isPresent();
    if (!ok) {
      throw s.error(
          key,
          "'" + text + "' is not an OPC UA NodeId",
          "write e.g. \"ns=2;s=CNC-01/SpindleSpeed\" or \"nsu=urn:vendor;i=1001\"");
    }
  }

  /** The NodeId on the connected server; empty when its namespace URI is unknown there. */
  static Optional<NodeId> resolve(String text, NamespaceTable namespaces) {
    if (text.startsWith("nsu=")) {
      return expanded(text).flatMap(e -> e.toNodeId(namespaces));
    }
    return NodeId.parseSafe(text);
  }

  private static Optional<ExpandedNodeId> expanded(String text) {
    try {
      return Optional.of(ExpandedNodeId.parse(text));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
