package dev.onboard.simulator.opcua;

import java.util.ArrayList;
import java.util.List;
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
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The {@code urn:onboard:simulator} namespace: {@code Objects/Devices/<name>} objects with DI
 * nameplate properties and Double signal variables, NodeIds {@code s=<name>/<browseName>}.
 *
 * <p>Thread-safety: built once during server start; Milo serialises access to the nodes.
 */
final class DeviceNamespace extends ManagedNamespaceWithLifecycle {

  static final String NAMESPACE_URI = "urn:onboard:simulator";

  /** DI nameplate properties, in the order they are added. */
  static final List<String> NAMEPLATE =
      List.of("Manufacturer", "SerialNumber", "Model", "ProductInstanceUri");

  private final SubscriptionModel subscriptionModel;
  private final List<SimulatedDevice> devices;

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

    List<String> nameplate =
        List.of(
            spec.manufacturer(), device.serialNumber(), spec.model(), spec.productInstanceUri());
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
      node.setValue(new DataValue(new Variant(signal.base()), StatusCode.GOOD, null));
      object.addComponent(node);
      signalNodes.add(node);
    }
    device.bind(signalNodes);
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

  /** Changes a nameplate property at runtime, e.g. to present a duplicate serial. */
  void setNameplate(String device, String property, String value) {
    UaNode node = getNodeManager().get(newNodeId(device + "/" + property));
    if (node instanceof UaVariableNode variable) {
      variable.setValue(new DataValue(new Variant(value)));
    }
  }

  @Override
  public void onDataItemsCreated(List<DataItem> items) {
    subscriptionModel.onDataItemsCreated(items);
  }

  @Override
  public void onDataItemsModified(List<DataItem> items) {
    subscriptionModel.onDataItemsModified(items);
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> items) {
    subscriptionModel.onDataItemsDeleted(items);
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> items) {
    subscriptionModel.onMonitoringModeChanged(items);
  }
}
