package dev.onboard.simulator.opcua;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The {@code urn:onboard:simulator} namespace: {@code Objects/Devices/<name>} objects with DI
 * nameplate properties and Double signal variables, NodeIds {@code s=<name>/<browseName>}.
 *
 * <p>Monitored items on signals are fed by their device as it updates (by exception, see {@link
 * SimulatedDevice}); items on anything else (nameplates, Server objects of other namespaces are not
 * ours) are sampled by Milo's {@link SubscriptionModel}. A signal's MinimumSamplingInterval is its
 * device's update interval: no client can sample it faster than it changes.
 *
 * <p>Thread-safety: built once during server start; Milo serialises access to the nodes; the signal
 * map is concurrent.
 */
final class DeviceNamespace extends ManagedNamespaceWithLifecycle {

  static final String NAMESPACE_URI = "urn:onboard:simulator";

  /** DI nameplate properties, in the order they are added. */
  static final List<String> NAMEPLATE =
      List.of("Manufacturer", "SerialNumber", "Model", "ProductInstanceUri");

  private final SubscriptionModel subscriptionModel;
  private final List<SimulatedDevice> devices;

  /** Where each signal node's values come from. */
  private record SignalRef(SimulatedDevice device, int index) {}

  private final Map<NodeId, SignalRef> signals = new ConcurrentHashMap<>();

  DeviceNamespace(OpcUaServer server, List<SimulatedDevice> devices) {
    super(server, NAMESPACE_URI);
    this.devices = devices;
    this.subscriptionModel = new SubscriptionModel(server, this);
    getLifecycleManager().addLifecycle(subscriptionModel);
    getLifecycleManager().addStartupTask(this::buildNodes);
  }

  private void buildNodes() {
    UaFolderNode folder =
        new UaFolderNode(
            getNodeContext(),
            newNodeId("Devices"),
            newQualifiedName("Devices"),
            LocalizedText.english("Devices"));
    getNodeManager().addNode(folder);
    folder.addReference(
        new Reference(
            folder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));

    for (SimulatedDevice device : devices) {
      folder.addOrganizes(buildDevice(device));
    }
  }

  private UaObjectNode buildDevice(SimulatedDevice device) {
    OpcUaDeviceSpec spec = device.spec();
    UaObjectNode object =
        UaObjectNode.builder(getNodeContext())
            .setNodeId(newNodeId(spec.name()))
            .setBrowseName(newQualifiedName(spec.name()))
            .setDisplayName(LocalizedText.english(spec.name()))
            .setTypeDefinition(NodeIds.BaseObjectType)
            .build();
    getNodeManager().addNode(object);

    SimulatedDevice.Nameplate plate = device.nameplate();
    List<String> nameplate =
        List.of(
            plate.manufacturer(), plate.serialNumber(), plate.model(), plate.productInstanceUri());
    for (int i = 0; i < NAMEPLATE.size(); i++) {
      UaVariableNode property =
          variable(spec.name(), NAMEPLATE.get(i), NodeIds.String, NodeIds.PropertyType);
      property.setValue(new DataValue(new Variant(nameplate.get(i))));
      object.addReference(
          new Reference(
              object.getNodeId(), NodeIds.HasProperty, property.getNodeId().expanded(), true));
    }

    List<UaVariableNode> signalNodes = new ArrayList<>();
    for (OpcUaDeviceKind.Signal signal : device.signals()) {
      UaVariableNode node =
          variable(spec.name(), signal.name(), NodeIds.Double, NodeIds.BaseDataVariableType);
      node.setMinimumSamplingInterval((double) spec.updateInterval().toMillis());
      object.addComponent(node);
      signals.put(node.getNodeId(), new SignalRef(device, signalNodes.size()));
      signalNodes.add(node);
    }
    device.bind(signalNodes, java.time.Instant.now());
    return object;
  }

  private UaVariableNode variable(String device, String name, NodeId dataType, NodeId type) {
    UaVariableNode node =
        new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
            .setNodeId(newNodeId(device + "/" + name))
            .setBrowseName(newQualifiedName(name))
            .setDisplayName(LocalizedText.english(name))
            .setDataType(dataType)
            .setTypeDefinition(type)
            .setAccessLevel(AccessLevel.READ_ONLY)
            .setUserAccessLevel(AccessLevel.READ_ONLY)
            .build();
    getNodeManager().addNode(node);
    return node;
  }

  /** Shows a device's nameplate as it is now, e.g. after it took another device's serial. */
  void showNameplate(SimulatedDevice device) {
    SimulatedDevice.Nameplate plate = device.nameplate();
    List<String> values =
        List.of(
            plate.manufacturer(), plate.serialNumber(), plate.model(), plate.productInstanceUri());
    for (int i = 0; i < NAMEPLATE.size(); i++) {
      UaNode node = getNodeManager().get(newNodeId(device.spec().name() + "/" + NAMEPLATE.get(i)));
      if (node instanceof UaVariableNode variable) {
        variable.setValue(new DataValue(new Variant(values.get(i))));
      }
    }
  }

  @Override
  public void onDataItemsCreated(List<DataItem> items) {
    List<DataItem> sampled = route(items, (ref, item) -> ref.device().addItem(ref.index(), item));
    if (!sampled.isEmpty()) {
      subscriptionModel.onDataItemsCreated(sampled);
    }
  }

  @Override
  public void onDataItemsModified(List<DataItem> items) {
    List<DataItem> sampled =
        route(items, (ref, item) -> ref.device().modifyItem(ref.index(), item));
    if (!sampled.isEmpty()) {
      subscriptionModel.onDataItemsModified(sampled);
    }
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> items) {
    List<DataItem> sampled =
        route(items, (ref, item) -> ref.device().removeItem(ref.index(), item));
    if (!sampled.isEmpty()) {
      subscriptionModel.onDataItemsDeleted(sampled);
    }
  }

  /**
   * Hands items on signal values to {@code signalAction}; returns the others, which Milo samples.
   */
  private List<DataItem> route(
      List<DataItem> items, java.util.function.BiConsumer<SignalRef, DataItem> signalAction) {
    List<DataItem> sampled = new ArrayList<>();
    for (DataItem item : items) {
      SignalRef ref = signals.get(item.getReadValueId().getNodeId());
      if (ref != null && isValue(item)) {
        signalAction.accept(ref, item);
      } else {
        sampled.add(item);
      }
    }
    return sampled;
  }

  private static boolean isValue(DataItem item) {
    return item.getReadValueId().getAttributeId().intValue()
        == org.eclipse.milo.opcua.stack.core.AttributeId.Value.id();
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> items) {
    subscriptionModel.onMonitoringModeChanged(items);
  }
}
