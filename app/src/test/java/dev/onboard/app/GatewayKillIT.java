package dev.onboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onboard.gateway.config.ConfigLoader;
import dev.onboard.gateway.supervisor.Gateway;
import dev.onboard.gateway.testkit.ChildJvm;
import dev.onboard.gateway.testkit.InfluxServer;
import dev.onboard.simulator.mqtt.DeviceKind;
import dev.onboard.simulator.mqtt.EmbeddedBroker;
import dev.onboard.simulator.mqtt.MqttDeviceSpec;
import dev.onboard.simulator.mqtt.SimulatedMqttFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the gateway under load: every message the broker delivered reaches the central store
 * exactly once after a restart. What the gateway had acknowledged was in its outbox; what it had
 * not was redelivered by the broker to its persistent session.
 */
class GatewayKillIT {

  private static final Pattern TS = Pattern.compile("\"ts\"\\s*:\\s*(\\d+)");

  @TempDir Path dir;

  @Test
  void after_kill_9_under_load_every_delivered_message_reaches_the_store_once() throws Exception {
    try (EmbeddedBroker broker = new EmbeddedBroker()) {
      broker.start().join();
      Path config = writeConfig(broker.url());

      // Ground truth: an observer of its own records every telemetry message the broker delivers.
      Set<String> delivered = ConcurrentHashMap.newKeySet();
      MqttClient observer =
          new MqttClient(broker.url(), "kill-it-observer", new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(true);
      observer.connect(o);
      observer.subscribe(
          "factory/+/+/telemetry",
          1,
          (topic, msg) -> {
            Matcher m = TS.matcher(new String(msg.getPayload(), StandardCharsets.UTF_8));
            if (m.find()) {
              delivered.add(topic.split("/")[2] + "@" + m.group(1));
            }
          });

      Process gateway =
          ChildJvm.of(Main.class, "run", "--config", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("gateway.log").toFile())
              .start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(dir.resolve("gateway.log")).contains("(mqtt) CONNECTED"));

      List<MqttDeviceSpec> specs = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        specs.add(
            new MqttDeviceSpec(
                "E001",
                String.format("press-%02d", i),
                "SN-" + i,
                Duration.ofMillis(10),
                DeviceKind.PRESS));
      }
      try (SimulatedMqttFleet fleet = new SimulatedMqttFleet(broker.url(), specs, 9)) {
        fleet.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() >= 5_000);
        gateway.destroyForcibly(); // SIGKILL under load
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int atKill = delivered.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() >= atKill + 2_000);
      }
      // The fleet stopped cleanly; let the last deliveries land before taking the count.
      await()
          .pollInterval(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(30))
          .until(new Stable(delivered::size));
      observer.disconnect();
      int expected = delivered.size();

      try (InfluxServer influx = InfluxServer.start(dir.resolve("influx"))) {
        influx.createDatabase("onboard");
        Files.writeString(
            config,
            Files.readString(config)
                + "uplink: {url: \""
                + influx.url()
                + "\", database: onboard}\n");
        try (Gateway restarted =
            Gateway.build(new ConfigLoader().load(config), Clock.systemUTC())) {
          restarted.start().join();
          await()
              .atMost(Duration.ofSeconds(120))
              .until(
                  () ->
                      influx.count(
                              "onboard",
                              "SELECT count(value) FROM telemetry WHERE \"tag\" = 'temperature'")
                          >= expected);
          assertThat(
                  influx.count(
                      "onboard",
                      "SELECT count(value) FROM telemetry WHERE \"tag\" = 'temperature'"))
              .as("every delivered message once: none lost, none twice")
              .isEqualTo(expected);
          assertThat(restarted.central().outboxStats().orElseThrow().tornRecords())
              .isLessThanOrEqualTo(1);
        }
      }
    }
  }

  private Path writeConfig(String brokerUrl) throws Exception {
    StringBuilder devices = new StringBuilder();
    for (int i = 1; i <= 10; i++) {
      devices.append(
          String.format(
              "    - {id: press-%02d, enterprise: E001, source: plant-mqtt, address: {device: press-%02d}}%n",
              i, i));
    }
    Path file = dir.resolve("onboard.yaml");
    Files.writeString(
        file,
        """
        gateway: {id: kill-it, dataDir: gateway-data}
        sources:
          - id: plant-mqtt
            protocol: mqtt
            broker: %s
            version: "3.1.1"
            clientId: onboard-kill-it
            cleanStart: false
            qos: 1
            json: {topic: "factory/{enterprise}/{device}/telemetry", timestamp: {field: ts, unit: ms}, values: values, serial: serial}
        inventory:
          enterprises: [{id: E001, name: Kill test}]
          devices:
        %s
        """
            .formatted(brokerUrl, devices));
    return file;
  }

  /** True once the value stops changing between two polls. */
  private static final class Stable implements java.util.concurrent.Callable<Boolean> {
    private final java.util.function.IntSupplier value;
    private int last = -1;

    Stable(java.util.function.IntSupplier value) {
      this.value = value;
    }

    @Override
    public Boolean call() {
      int now = value.getAsInt();
      boolean stable = now == last;
      last = now;
      return stable;
    }
  }
}
