package dev.onboard.adapters.mqtt;

/** The MQTT protocol version the adapter speaks to its broker. */
enum MqttVersion {
  V3_1_1("3.1.1"),
  V5("5");

  private final String text;

  MqttVersion(String text) {
    this.text = text;
  }

  String text() {
    return text;
  }

  static MqttVersion parse(String s) {
    for (MqttVersion v : values()) {
      if (v.text.equals(s) || (v == V5 && (s.equals("5.0") || s.equals("v5")))) {
        return v;
      }
    }
    return null;
  }
}
