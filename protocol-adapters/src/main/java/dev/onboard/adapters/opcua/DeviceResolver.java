package dev.onboard.adapters.opcua;

import dev.onboard.adapters.opcua.OpcUaSourceConfig.BrowseRule;
import dev.onboard.adapters.opcua.OpcUaSourceConfig.DeviceBinding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseNextResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/**
 * Finds each device's signal and nameplate nodes on a connected server: by browse rule (a child
 * object of the start node, variables matched by name) or by explicit NodeIds (nameplate found on
 * the variables' parent object). Reads nameplates.
 *
 * <p>Thread-safety: stateless apart from the client; called from the adapter's session thread.
 */
final class DeviceResolver {

  /** DI nameplate property browse names. */
  static final List<String> NAMEPLATE =
      List.of("Manufacturer", "SerialNumber", "Model", "ProductInstanceUri");

  private static final int BATCH = 200;

  /**
   * One device's nodes.
   *
   * @param tags tag name → signal NodeId, in browse or configuration order
   * @param nameplate nameplate property name → NodeId, only those present
   */
  record ResolvedDevice(Map<String, NodeId> tags, Map<String, NodeId> nameplate) {}

  private final OpcUaClient client;

  DeviceResolver(OpcUaClient client) {
    this.client = client;
  }

  /**
   * Resolves the devices; a device that cannot be found maps to a problem in words instead.
   *
   * @return device id → resolved nodes, or device id → {@link String} problem
   */
  Map<String, Object> resolve(List<DeviceBinding> devices, Optional<BrowseRule> rule)
      throws UaException {
    NamespaceTable namespaces = client.readNamespaceTable();
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, NodeId> children = Map.of();
    if (rule.isPresent() && devices.stream().anyMatch(d -> d.browseName().isPresent())) {
      Optional<NodeId> start = NodeIdText.resolve(rule.get().startNode(), namespaces);
      if (start.isEmpty()) {
        for (DeviceBinding d : devices) {
          out.put(
              d.deviceId(),
              "browse.startNode "
                  + rule.get().startNode()
                  + " has a namespace unknown to the server");
        }
        return out;
      }
      children = childObjects(start.get(), namespaces);
    }

    List<NodeId> objects = new ArrayList<>();
    List<DeviceBinding> pending = new ArrayList<>();
    for (DeviceBinding d : devices) {
      if (d.browseName().isPresent()) {
        NodeId object = children.get(d.browseName().get());
        if (object == null) {
          out.put(
              d.deviceId(),
              "no object '" + d.browseName().get() + "' under " + rule.get().startNode());
          continue;
        }
        objects.add(object);
        pending.add(d);
      } else {
        Optional<NodeId> parent = parentOf(d, namespaces);
        objects.add(parent.orElse(null));
        pending.add(d);
      }
    }

    List<List<ReferenceDescription>> variables = browseVariables(objects);
    for (int i = 0; i < pending.size(); i++) {
      DeviceBinding d = pending.get(i);
      Map<String, NodeId> nameplate = new LinkedHashMap<>();
      Map<String, NodeId> tags = new LinkedHashMap<>();
      for (ReferenceDescription r : variables.get(i)) {
        String name = r.getBrowseName().name();
        Optional<NodeId> id = r.getNodeId().toNodeId(namespaces);
        if (id.isEmpty()) {
          continue;
        }
        if (NodeIds.HasProperty.equals(r.getReferenceTypeId())) {
          if (NAMEPLATE.contains(name)) {
            nameplate.put(name, id.get());
          }
        } else if (d.browseName().isPresent() && rule.get().variables().matcher(name).matches()) {
          tags.put(name, id.get());
        }
      }
      if (d.browseName().isEmpty()) {
        for (Map.Entry<String, String> e : d.nodeIds().entrySet()) {
          Optional<NodeId> id = NodeIdText.resolve(e.getValue(), namespaces);
          if (id.isPresent()) {
            tags.put(e.getKey(), id.get());
          }
        }
      }
      if (tags.isEmpty()) {
        out.put(
            d.deviceId(), "no variable of the device matched (check browse.variables or nodeIds)");
      } else {
        out.put(d.deviceId(), new ResolvedDevice(Collections.unmodifiableMap(tags), nameplate));
      }
    }
    return out;
  }

  /** Reads the nameplate properties; missing or empty ones are left out. */
  Map<String, Map<String, String>> readNameplates(Map<String, ResolvedDevice> devices)
      throws UaException {
    List<String> owners = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<NodeId> nodes = new ArrayList<>();
    devices.forEach(
        (id, d) ->
            d.nameplate()
                .forEach(
                    (name, node) -> {
                      owners.add(id);
                      names.add(name);
                      nodes.add(node);
                    }));
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    devices.keySet().forEach(id -> out.put(id, new LinkedHashMap<>()));
    for (int from = 0; from < nodes.size(); from += BATCH) {
      List<NodeId> batch = nodes.subList(from, Math.min(nodes.size(), from + BATCH));
      List<DataValue> values = client.readValues(0, TimestampsToReturn.Neither, batch);
      for (int i = 0; i < values.size(); i++) {
        String text = DataRouter.text(values.get(i));
        if (text != null) {
          out.get(owners.get(from + i)).put(names.get(from + i), text);
        }
      }
    }
    return out;
  }

  private Map<String, NodeId> childObjects(NodeId start, NamespaceTable namespaces)
      throws UaException {
    Map<String, NodeId> out = new LinkedHashMap<>();
    for (ReferenceDescription r : browseAll(List.of(forward(start, NodeClass.Object))).get(0)) {
      r.getNodeId().toNodeId(namespaces).ifPresent(id -> out.put(r.getBrowseName().name(), id));
    }
    return out;
  }

  private Optional<NodeId> parentOf(DeviceBinding d, NamespaceTable namespaces) throws UaException {
    Optional<NodeId> first =
        d.nodeIds().values().stream()
            .map(text -> NodeIdText.resolve(text, namespaces))
            .flatMap(Optional::stream)
            .findFirst();
    if (first.isEmpty()) {
      return Optional.empty();
    }
    BrowseDescription inverse =
        new BrowseDescription(
            first.get(),
            BrowseDirection.Inverse,
            NodeIds.HierarchicalReferences,
            true,
            UInteger.valueOf(NodeClass.Object.getValue()),
            UInteger.valueOf(BrowseResultMask.All.getValue()));
    return browseAll(List.of(inverse)).get(0).stream()
        .findFirst()
        .flatMap(r -> r.getNodeId().toNodeId(namespaces));
  }

  private List<List<ReferenceDescription>> browseVariables(List<NodeId> objects)
      throws UaException {
    List<List<ReferenceDescription>> out = new ArrayList<>();
    for (int from = 0; from < objects.size(); from += BATCH) {
      List<BrowseDescription> batch = new ArrayList<>();
      List<Integer> slots = new ArrayList<>();
      for (int i = from; i < Math.min(objects.size(), from + BATCH); i++) {
        out.add(List.of());
        if (objects.get(i) != null) {
          batch.add(forward(objects.get(i), NodeClass.Variable));
          slots.add(i);
        }
      }
      if (!batch.isEmpty()) {
        List<List<ReferenceDescription>> results = browseAll(batch);
        for (int j = 0; j < slots.size(); j++) {
          out.set(slots.get(j), results.get(j));
        }
      }
    }
    return out;
  }

  private static BrowseDescription forward(NodeId node, NodeClass nodeClass) {
    return new BrowseDescription(
        node,
        BrowseDirection.Forward,
        NodeIds.HierarchicalReferences,
        true,
        UInteger.valueOf(nodeClass.getValue()),
        UInteger.valueOf(BrowseResultMask.All.getValue()));
  }

  /** Browses and follows continuation points, so large folders come back whole. */
  private List<List<ReferenceDescription>> browseAll(List<BrowseDescription> descriptions)
      throws UaException {
    List<BrowseResult> results = client.browse(descriptions);
    List<List<ReferenceDescription>> out = new ArrayList<>();
    for (BrowseResult result : results) {
      List<ReferenceDescription> refs = new ArrayList<>(references(result));
      ByteString continuation = result.getContinuationPoint();
      while (continuation != null && continuation.isNotNull()) {
        BrowseNextResponse next = client.browseNext(false, List.of(continuation));
        BrowseResult more = next.getResults()[0];
        refs.addAll(references(more));
        continuation = more.getContinuationPoint();
      }
      out.add(refs);
    }
    return out;
  }

  private static List<ReferenceDescription> references(BrowseResult result) {
    return result.getReferences() == null ? List.of() : List.of(result.getReferences());
  }
}
