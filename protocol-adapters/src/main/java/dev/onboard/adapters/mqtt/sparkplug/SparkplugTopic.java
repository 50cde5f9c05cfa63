package dev.onboard.adapters.mqtt.sparkplug;

/**
 * A Sparkplug B topic: {@code spBv1.0/<group>/<type>/<edge node>[/<device>]}. Immutable.
 *
 * @param group the group id
 * @param type the message type
 * @param edgeNode the edge node id
 * @param device the device id; null for node messages
 */
public record SparkplugTopic(String group, MessageType type, String edgeNode, String device) {

  public static final String NAMESPACE = "spBv1.0";

  /** Sparkplug B message types. */
  public enum MessageType {
    NBIRTH,
    NDEATH,
    NDATA,
    NCMD,
    DBIRTH,
    DDEATH,
    DDATA,
    DCMD;

    /** True for the device-level types, which carry a device id in the topic. */
    public boolean deviceLevel() {
      return this == DBIRTH || this == DDEATH || this == DDATA || this == DCMD;
    }
  }

  /** The topic's parts, or null when it is not a Sparkplug B edge-node or device topic. */
  public static SparkplugTopic parse(String topic) {
    if (!topic.startsWith(NAMESPACE + "/")) {
      return null;
    }
    String[] parts = topic.split("/", -1);
    if (parts.length != 4 && parts.length != 5) {
      return null;
    }
    MessageType type;
    try {
      type = MessageType.valueOf(parts[2]);
    } catch (IllegalArgumentException e) {
      return null; // STATE and anything else that is not an edge node's message
    }
    boolean hasDevice = parts.length == 5;
    if (type.deviceLevel() != hasDevice) {
      return null;
    }
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].isEmpty()) {
        return null;
      }
    }
    return new SparkplugTopic(parts[1], type, parts[3], hasDevice ? parts[4] : null);
  }

  /** The topic of a node command to {@code group/edgeNode}. */
  public static String nodeCommand(String group, String edgeNode) {
    return NAMESPACE + "/" + group + "/NCMD/" + edgeNode;
  }

  /** Sparkplug 3.0's primary host state topic, {@code spBv1.0/STATE/<host id>}. */
  public static String state(String hostId) {
    return NAMESPACE + "/STATE/" + hostId;
  }

  /** Sparkplug 3.0's state payload, {@code {"online":true,"timestamp":<ms>}}. */
  public static byte[] statePayload(boolean online, long timestampMillis) {
    return ("{\"online\":" + online + ",\"timestamp\":" + timestampMillis + "}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
