package dev.onboard.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.DeviceSpec;
import dev.onboard.gateway.spi.Settings;
import dev.onboard.gateway.spi.SourceSpec;
import dev.onboard.gateway.testkit.RecordingSink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code check-config} says about an MQTT source with Sparkplug devices; no I/O. */
class MqttConfigTest {

  @TempDir Path dir;

  @Test
  void a_source_with_only_sparkplug_devices_needs_no_json_section() throws Exception {
    MqttAdapter a =
        create(
            Map.of("sparkplug", Map.of("hostId", "onboard-1", "reorderTimeout", "1s")),
            Map.of("group", "plant", "edgeNode", "line-1"),
            Map.of("group", "plant", "edgeNode", "line-1", "device", "press-7"));
    assertThat(a.filters()).containsExactly("spBv1.0/plant/#");
  }

  @Test
  void a_json_device_on_a_source_without_json_is_refused_naming_its_address() {
    assertThatThrownBy(
            () ->
                create(
                    Map.of(),
                    Map.of("group", "plant", "edgeNode", "line-1"),
                    Map.of("device", "press-01")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("devices[1].address.device")
        .hasMessageContaining("has no json: section");
  }

  @Test
  void two_devices_with_one_sparkplug_address_are_refused() {
    assertThatThrownBy(
            () ->
                create(
                    Map.of(),
                    Map.of("group", "plant", "edgeNode", "line-1", "device", "d"),
                    Map.of("group", "plant", "edgeNode", "line-1", "device", "d")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("same Sparkplug address");
  }

  @Test
  void a_host_id_with_a_topic_separator_and_an_unknown_sparkplug_key_are_refused() {
    Map<String, Object> node = Map.of("group", "plant", "edgeNode", "line-1");
    assertThatThrownBy(() -> create(Map.of("sparkplug", Map.of("hostId", "a/b")), node))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources[0].sparkplug.hostId");
    assertThatThrownBy(() -> create(Map.of("sparkplug", Map.of("reorderTimeuot", "1s")), node))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("did you mean 'reorderTimeout'");
  }

  @Test
  void a_source_with_neither_json_nor_sparkplug_devices_says_what_to_add() {
    assertThatThrownBy(() -> create(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources[0].json")
        .hasMessageContaining("Sparkplug addresses");
  }

  @SafeVarargs
  private MqttAdapter create(Map<String, Object> extra, Map<String, Object>... addresses)
      throws ConfigException {
    Map<String, Object> settings =
        new LinkedHashMap<>(MqttSources.brokerSettings("tcp://127.0.0.1:1883", "5"));
    settings.putAll(extra);
    List<DeviceSpec> devices = new ArrayList<>();
    for (Map<String, Object> a : addresses) {
      devices.add(
          new DeviceSpec(
              "dev-" + devices.size(),
              "E001",
              new Settings(
                  MqttSources.FILE, "devices[" + devices.size() + "].address", a, k -> null)));
    }
    SourceSpec spec =
        new SourceSpec(
            "plant-mqtt",
            "mqtt",
            new Settings(MqttSources.FILE, "sources[0]", settings, k -> null),
            devices);
    return (MqttAdapter)
        new MqttAdapterProvider()
            .create(
                spec, new AdapterContext(new RecordingSink(), Clock.systemUTC(), dir, Thread::new));
  }
}
