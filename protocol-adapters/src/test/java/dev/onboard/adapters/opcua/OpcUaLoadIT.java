package dev.onboard.adapters.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onboard.gateway.spi.SourceStatus.State;
import dev.onboard.simulator.FactorySpec;
import dev.onboard.simulator.SimulatedFactory;
import dev.onboard.simulator.opcua.OpcUaDeviceKind;
import dev.onboard.simulator.opcua.OpcUaFleet;
import dev.onboard.simulator.opcua.SimulatedOpcUaServer;
import dev.onboard.simulator.opcua.SimulatedOpcUaServerConfig.Security;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 devices × 10 tags, every tag changing every 100 ms (10,000 values/s), over one session: every
 * value arrives, and a server restart under that load ends with one session, no duplicated
 * monitored item and data flowing again. One simulated server for the class; each test has its own
 * adapter.
 */
class OpcUaLoadIT {

  private static final int DEVICES = 100;
  private static final int TAGS = 10;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** Per device: its tags and 4 nameplate properties; per session: ServerState and ServiceLevel. */
  private static final long ITEMS = DEVICES * (TAGS + 4) + 2;

  private static SimulatedFactory factory;
  private static SimulatedOpcUaServer server;

  @TempDir Path dataDir;
  private final CountingSink sink = new CountingSink();
  private Harness harness;

  @BeforeAll
  static void startServer() {
    factory =
        new SimulatedFactory(
            new FactorySpec(
                new OpcUaFleet(
                        1,
                        DEVICES,
                        TAGS,
                        Duration.ofMillis(100),
                        List.of(OpcUaDeviceKind.values()),
                        Set.of(Security.NONE),
                        Map.of(),
                        0)
                    .configs(),
                0,
                List.of(),
                1L));
    factory.start();
    server = factory.opcua("plant-1");
  }

  @AfterAll
  static void stopServer() {
    factory.close();
  }

  @AfterEach
  void closeAdapter() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void every_value_of_100_devices_by_10_tags_at_100_ms_arrives_over_one_session() throws Exception {
    // Counted from a server with no session and no item left over from another test.
    await()
        .atMost(PATIENCE)
        .until(() -> server.sessionCount() == 0 && server.monitoredItemCount() == 0);
    long reportedBefore = server.valuesReported();
    harness = start();
    await().atMost(PATIENCE).until(() -> sink.perDevice().size() == DEVICES);
    assertThat(server.sessionCount()).isEqualTo(1);
    assertThat(server.monitoredItemCount()).isEqualTo(ITEMS);

    // Let it run, then stop every device changing so the count can settle.
    await().atMost(PATIENCE).until(() -> sink.good() > 100_000);
    factory.inject("opcua plant-1/* freeze");
    try {
      await().atMost(PATIENCE).until(() -> sink.all() >= server.valuesReported() - reportedBefore);
      // ...and stays equal: nothing arrives that the server did not report.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> sink.all() == server.valuesReported() - reportedBefore);
      long reported = server.valuesReported() - reportedBefore;
      assertThat(sink.good()).isEqualTo(reported);
      assertThat(sink.duplicates()).isZero();
      assertThat(harness.adapter.overflows()).isZero();
      assertThat(harness.adapter.lostMessages()).isZero();
      assertThat(server.sessionCount()).isEqualTo(1);
    } finally {
      factory.inject("opcua plant-1/* thaw");
    }
  }

  @Test
  void a_server_restart_under_load_resumes_data_with_one_session_and_no_duplicate_item()
      throws Exception {
    harness = start();
    await().atMost(PATIENCE).until(() -> sink.perDevice().size() == DEVICES);
    assertThat(server.monitoredItemCount()).isEqualTo(ITEMS);

    factory.inject("opcua plant-1 restart 2s");
    await().atMost(PATIENCE).until(() -> harness.state() != State.CONNECTED);
    Map<String, Long> atRestart = sink.perDevice();
    await().atMost(PATIENCE).until(() -> harness.state() == State.CONNECTED);
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              Map<String, Long> now = sink.perDevice();
              return atRestart.keySet().stream()
                  .allMatch(d -> now.get(d) > atRestart.get(d) + TAGS);
            });

    assertThat(server.sessionCount()).isEqualTo(1);
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.monitoredItemCount() == ITEMS && server.sessionCount() == 1);
    assertThat(sink.duplicates()).isZero();
  }

  private Harness start() throws Exception {
    Specs specs =
        Specs.endpoint(server.endpointUrl())
            .noSecurity()
            .browse("nsu=urn:onboard:simulator;s=Devices")
            .set(
                "subscription",
                Map.of(
                    "samplingInterval", "100ms", "publishingInterval", "100ms", "queueSize", 10));
    for (String name : server.deviceNames()) {
      specs.browsed(name.toLowerCase(java.util.Locale.ROOT), name);
    }
    return new Harness(specs, sink, dataDir).start();
  }
}
