package dev.onboard.adapters.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onboard.gateway.config.LivenessTimeouts;
import dev.onboard.gateway.liveness.DeviceState;
import dev.onboard.gateway.liveness.DeviceView;
import dev.onboard.gateway.spi.DeviceIdentity;
import dev.onboard.gateway.spi.SourceStatus.State;
import dev.onboard.simulator.FactorySpec;
import dev.onboard.simulator.SimulatedFactory;
import dev.onboard.simulator.opcua.OpcUaDeviceKind;
import dev.onboard.simulator.opcua.OpcUaDeviceSpec;
import dev.onboard.simulator.opcua.SimulatedOpcUaServer;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each simulator fault, injected by name as a scenario would, against the adapter feeding the
 * gateway's liveness tracker: the device state, cause and flag the gateway ends up showing. One
 * simulated server for the class; each test starts its own adapter and tracker and undoes its
 * fault.
 */
class OpcUaFaultsIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final LivenessTimeouts TIMEOUTS =
      new LivenessTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(3));
  private static final List<String> DEVICES = List.of("cnc-1", "cnc-2", "imm-1", "ac-1", "em-1");

  private static SimulatedFactory factory;
  private static SimulatedOpcUaServer server;

  @TempDir Path dataDir;
  private TrackedGateway gateway;
  private Harness harness;

  @BeforeAll
  static void startFactory() {
    Duration fast = Duration.ofMillis(200);
    factory =
        new SimulatedFactory(
            new FactorySpec(
                List.of(
                    SimulatedOpcUaServerConfig.of(
                        "plant",
                        List.of(
                            OpcUaDeviceSpec.of("CNC-01", OpcUaDeviceKind.CNC)
                                .withUpdateInterval(fast),
                            OpcUaDeviceSpec.of("CNC-02", OpcUaDeviceKind.CNC)
                                .withUpdateInterval(fast),
                            OpcUaDeviceSpec.of("IMM-01", OpcUaDeviceKind.INJECTION_MOULDING)
                                .withUpdateInterval(fast),
                            OpcUaDeviceSpec.of("AC-01", OpcUaDeviceKind.AIR_COMPRESSOR)
                                .withUpdateInterval(fast),
                            OpcUaDeviceSpec.of("EM-01", OpcUaDeviceKind.ENERGY_METER)
                                .withUpdateInterval(fast)))),
                0,
                List.of(),
                1L));
    factory.start();
    server = factory.opcua("plant");
  }

  @AfterAll
  static void stopFactory() {
    factory.close();
  }

  @BeforeEach
  void startGateway() throws Exception {
    gateway =
        new TrackedGateway(
            DEVICES,
            TIMEOUTS,
            // The enterprise claims a serial for em-1 that its nameplate does not show.
            Map.of("em-1", Map.of(DeviceIdentity.SERIAL_NUMBER, "SN-EM-99")));
    harness =
        new Harness(
                Specs.endpoint(server.endpointUrl())
                    .noSecurity()
                    .browse("nsu=urn:onboard:simulator;s=Devices")
                    .fastSubscription()
                    .set("clockSkewTolerance", "2s")
                    .set("frozenAfter", "2s")
                    .browsed("cnc-1", "CNC-01")
                    .browsed("cnc-2", "CNC-02")
                    .browsed("imm-1", "IMM-01")
                    .browsed("ac-1", "AC-01")
                    .browsed("em-1", "EM-01"),
                gateway,
                dataDir)
            .start();
    await().atMost(PATIENCE).until(() -> gateway.allIn(DeviceState.ONLINE, DEVICES));
  }

  @AfterEach
  void stopGateway() {
    harness.close();
  }

  @Test
  void a_dropped_device_is_offline_with_the_status_code_in_words_and_back_when_restored() {
    factory.inject("opcua plant/IMM-01 drop");
    try {
      await().atMost(PATIENCE).until(() -> gateway.state("imm-1") == DeviceState.OFFLINE);
      assertThat(gateway.device("imm-1").cause())
          .contains("device not reachable behind the server")
          .contains("Bad_NoCommunication");
      assertThat(gateway.allIn(DeviceState.ONLINE, List.of("cnc-1", "cnc-2", "ac-1", "em-1")))
          .isTrue();
    } finally {
      factory.inject("opcua plant/IMM-01 restore");
    }
    await().atMost(PATIENCE).until(() -> gateway.state("imm-1") == DeviceState.ONLINE);
  }

  @Test
  void a_frozen_device_is_flagged_and_offline_though_the_server_answers_and_clears_when_thawed() {
    factory.inject("opcua plant/AC-01 freeze");
    try {
      await().atMost(PATIENCE).until(() -> gateway.flagged("ac-1", "FROZEN_VALUES"));
      await().atMost(PATIENCE).until(() -> gateway.state("ac-1") == DeviceState.OFFLINE);
      DeviceView ac = gateway.device("ac-1");
      assertThat(ac.cause()).contains("no Good data");
      assertThat(ac.flags())
          .anySatisfy(f -> assertThat(f).contains("no tag changed").contains("frozenAfter 2.0 s"));
      assertThat(harness.state()).isEqualTo(State.CONNECTED);
      assertThat(gateway.state("cnc-1")).isEqualTo(DeviceState.ONLINE);
    } finally {
      factory.inject("opcua plant/AC-01 thaw");
    }
    await().atMost(PATIENCE).until(() -> gateway.state("ac-1") == DeviceState.ONLINE);
    await().atMost(PATIENCE).until(() -> !gateway.flagged("ac-1", "FROZEN_VALUES"));
    assertThat(gateway.clearedRecorded("ac-1", "FROZEN_VALUES")).isTrue();
  }

  @Test
  void server_state_test_takes_every_device_offline_and_flags_it_until_running_clears_it() {
    factory.inject("opcua plant state TEST");
    try {
      await().atMost(PATIENCE).until(() -> gateway.allIn(DeviceState.OFFLINE, DEVICES));
      for (String id : DEVICES) {
        assertThat(gateway.device(id).cause()).isEqualTo("server state TEST");
        assertThat(gateway.flagged(id, "SERVER_NOT_RUNNING")).isTrue();
      }
      await().atMost(PATIENCE).until(() -> harness.state() == State.SERVER_NOT_RUNNING);
      assertThat(harness.status().detail()).contains("server state TEST");
      // Values keep coming in TEST state, delivered as UNCERTAIN: none counts as online time.
      long before = gateway.uncertainReadings("cnc-1");
      await().atMost(PATIENCE).until(() -> gateway.uncertainReadings("cnc-1") > before + 10);
      assertThat(gateway.state("cnc-1")).isEqualTo(DeviceState.OFFLINE);
    } finally {
      factory.inject("opcua plant state RUNNING");
    }
    await().atMost(PATIENCE).until(() -> gateway.allIn(DeviceState.ONLINE, DEVICES));
    assertThat(harness.state()).isEqualTo(State.CONNECTED);
    await()
        .atMost(PATIENCE)
        .until(() -> DEVICES.stream().noneMatch(id -> gateway.flagged(id, "SERVER_NOT_RUNNING")));
    for (String id : DEVICES) {
      assertThat(gateway.clearedRecorded(id, "SERVER_NOT_RUNNING")).as(id).isTrue();
    }
  }

  @Test
  void service_level_zero_is_maintenance_offline_and_a_degraded_level_is_only_noted() {
    factory.inject("opcua plant service-level 0");
    try {
      await().atMost(PATIENCE).until(() -> gateway.allIn(DeviceState.OFFLINE, DEVICES));
      assertThat(gateway.device("cnc-2").cause()).isEqualTo("server ServiceLevel 0 (maintenance)");
      assertThat(harness.state()).isEqualTo(State.SERVER_NOT_RUNNING);

      factory.inject("opcua plant service-level 150");
      await().atMost(PATIENCE).until(() -> gateway.allIn(DeviceState.ONLINE, DEVICES));
      await().atMost(PATIENCE).until(() -> harness.state() == State.CONNECTED);
      assertThat(harness.status().detail()).contains("ServiceLevel 150 (degraded)");
    } finally {
      factory.inject("opcua plant service-level 255");
    }
  }

  @Test
  void bad_status_codes_flag_bad_quality_and_offline_until_good_values_clear_the_flag() {
    factory.inject("opcua plant/CNC-02 status Bad_SensorFailure");
    try {
      await().atMost(PATIENCE).until(() -> gateway.flagged("cnc-2", "BAD_QUALITY"));
      await().atMost(PATIENCE).until(() -> gateway.state("cnc-2") == DeviceState.OFFLINE);
      assertThat(gateway.device("cnc-2").cause()).contains("no Good data");
      assertThat(gateway.device("cnc-2").flags())
          .anySatisfy(f -> assertThat(f).contains("Bad_SensorFailure"));
      assertThat(gateway.state("cnc-1")).isEqualTo(DeviceState.ONLINE);
    } finally {
      factory.inject("opcua plant/CNC-02 status Good");
    }
    await().atMost(PATIENCE).until(() -> gateway.state("cnc-2") == DeviceState.ONLINE);
    await().atMost(PATIENCE).until(() -> !gateway.flagged("cnc-2", "BAD_QUALITY"));
    assertThat(gateway.clearedRecorded("cnc-2", "BAD_QUALITY")).isTrue();
  }

  @Test
  void a_skewed_device_clock_is_flagged_online_and_the_flag_clears_when_the_clock_is_back() {
    factory.inject("opcua plant/EM-01 skew 30s");
    try {
      await().atMost(PATIENCE).until(() -> gateway.flagged("em-1", "CLOCK_SKEW"));
      assertThat(gateway.device("em-1").flags())
          .anySatisfy(f -> assertThat(f).contains("s ahead of the gateway clock"));
      assertThat(harness.adapter.skew("em-1").orElseThrow())
          .isBetween(Duration.ofSeconds(29), Duration.ofSeconds(31));
      assertThat(gateway.state("em-1")).isEqualTo(DeviceState.ONLINE);
    } finally {
      factory.inject("opcua plant/EM-01 skew 0s");
    }
    await().atMost(PATIENCE).until(() -> !gateway.flagged("em-1", "CLOCK_SKEW"));
    assertThat(gateway.clearedRecorded("em-1", "CLOCK_SKEW")).isTrue();
    assertThat(gateway.state("em-1")).isEqualTo(DeviceState.ONLINE);
  }

  @Test
  void a_second_device_showing_the_same_serial_is_flagged_duplicate_and_the_first_is_not() {
    String own = server.serialNumber("CNC-02");
    factory.inject("opcua plant/CNC-02 same-serial-as CNC-01");
    try {
      // The adapter watches nameplates and reports the changed identity by itself.
      await().atMost(PATIENCE).until(() -> gateway.flagged("cnc-2", "DUPLICATE_IDENTITY"));
      assertThat(gateway.device("cnc-2").flags())
          .anySatisfy(
              f ->
                  assertThat(f).contains("SN-CNC-01").contains("already reported by device cnc-1"));
      assertThat(gateway.device("cnc-2").identity())
          .containsEntry(DeviceIdentity.SERIAL_NUMBER, "SN-CNC-01");
      assertThat(gateway.flagged("cnc-1", "DUPLICATE_IDENTITY")).isFalse();
      assertThat(gateway.state("cnc-2")).isEqualTo(DeviceState.ONLINE);
    } finally {
      factory.inject("opcua plant/CNC-02 serial " + own);
    }
    await().atMost(PATIENCE).until(() -> !gateway.flagged("cnc-2", "DUPLICATE_IDENTITY"));
    assertThat(gateway.clearedRecorded("cnc-2", "DUPLICATE_IDENTITY")).isTrue();
  }

  @Test
  void a_nameplate_that_differs_from_the_inventory_claim_is_flagged_not_accepted() {
    DeviceView em = gateway.device("em-1");
    assertThat(em.identity())
        .containsEntry(DeviceIdentity.SERIAL_NUMBER, "SN-EM-01")
        .containsEntry(DeviceIdentity.APPLICATION_URI, "urn:onboard:simulator:plant")
        .containsEntry(DeviceIdentity.MANUFACTURER, "Onboard Sim Works")
        .containsKey(DeviceIdentity.PRODUCT_INSTANCE_URI);
    assertThat(em.flags())
        .anySatisfy(
            f ->
                assertThat(f)
                    .startsWith("IDENTITY_MISMATCH")
                    .contains("claimed SN-EM-99, equipment says SN-EM-01"));
    assertThat(gateway.flagged("cnc-1", "IDENTITY_MISMATCH")).isFalse();
  }

  @Test
  void a_stopped_server_takes_every_device_offline_and_a_restart_brings_them_back()
      throws Exception {
    factory.inject("opcua plant stop");
    try {
      await().atMost(PATIENCE).until(() -> gateway.allIn(DeviceState.OFFLINE, DEVICES));
      assertThat(gateway.device("ac-1").cause()).contains("session to").contains("closed");
      await()
          .atMost(PATIENCE)
          .until(() -> harness.state() == State.UNREACHABLE || harness.state() == State.CONNECTING);
    } finally {
      factory.inject("opcua plant start");
    }
    await().atMost(PATIENCE).until(() -> gateway.allIn(DeviceState.ONLINE, DEVICES));
    assertThat(server.sessionCount()).isEqualTo(1);
  }
}
