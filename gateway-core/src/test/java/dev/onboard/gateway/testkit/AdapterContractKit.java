package dev.onboard.gateway.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.SourceAdapter;
import dev.onboard.gateway.spi.SourceStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every protocol adapter must do, tested against a real peer. An adapter's test extends this
 * class, starts its peer (a simulator server, a broker) in {@link #startPeer()} and builds the
 * adapter for it; the kit checks the lifecycle, status and data flow the gateway relies on.
 *
 * <p>Waits are bounded ({@link #patience()}); nothing sleeps.
 */
public abstract class AdapterContractKit {

  /** Starts the peer (or starts it again after {@link #stopPeer()}, on the same address). */
  protected abstract void startPeer() throws Exception;

  /** Stops the peer as a power cut would, so the adapter loses its connection. */
  protected abstract void stopPeer() throws Exception;

  /** Releases the peer for good; called after each test. */
  protected abstract void destroyPeer() throws Exception;

  /** Builds an adapter, not started, connected to the running peer and serving its devices. */
  protected abstract SourceAdapter createAdapter(AdapterContext context) throws Exception;

  /** The inventory device ids the adapter serves; each must deliver Good readings. */
  protected abstract Set<String> devices();

  /** How long the kit waits for a connection, data or recovery. */
  protected Duration patience() {
    return Duration.ofSeconds(30);
  }

  /** The adapter under test, built by {@link #createAdapter} before each test; not started. */
  protected final SourceAdapter adapter() {
    return adapter;
  }

  @TempDir protected Path dataDir;

  protected final RecordingSink sink = new RecordingSink();
  private final AtomicInteger threadCount = new AtomicInteger();
  private SourceAdapter adapter;

  @BeforeEach
  void startPeerAndBuildAdapter() throws Exception {
    startPeer();
    AdapterContext context =
        new AdapterContext(
            sink,
            Clock.systemUTC(),
            dataDir,
            r -> {
              Thread t = new Thread(r, "contract-kit-adapter-" + threadCount.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    adapter = createAdapter(context);
  }

  @AfterEach
  void stopAdapterAndPeer() throws Exception {
    try {
      adapter.close();
    } finally {
      destroyPeer();
    }
  }

  @Test
  void a_new_adapter_reports_stopped_and_has_sent_nothing() {
    assertThat(adapter.status().state()).isEqualTo(SourceStatus.State.STOPPED);
    assertThat(sink.readings()).isEmpty();
  }

  @Test
  void stopping_an_adapter_that_never_started_completes_at_once() {
    assertThat(adapter.stop()).succeedsWithin(Duration.ofSeconds(5));
    assertThat(adapter.status().state()).isEqualTo(SourceStatus.State.STOPPED);
  }

  @Test
  void starting_twice_returns_the_same_future_and_connects() {
    CompletableFuture<Void> first = adapter.start();
    CompletableFuture<Void> second = adapter.start();
    assertThat(second).isSameAs(first);
    await()
        .atMost(patience())
        .until(() -> adapter.status().state() == SourceStatus.State.CONNECTED);
  }

  @Test
  void every_device_delivers_good_readings_once_connected() {
    adapter.start();
    await().atMost(patience()).until(() -> sink.devicesWithGoodReadings().containsAll(devices()));
    assertThat(sink.devicesWithGoodReadings()).containsExactlyInAnyOrderElementsOf(devices());
  }

  @Test
  void stopping_twice_is_harmless_and_ends_the_flow_of_data() {
    adapter.start();
    await().atMost(patience()).until(() -> sink.devicesWithGoodReadings().containsAll(devices()));
    assertThat(adapter.stop()).succeedsWithin(patience());
    assertThat(adapter.stop()).succeedsWithin(Duration.ofSeconds(5));
    assertThat(adapter.status().state()).isEqualTo(SourceStatus.State.STOPPED);
    int afterStop = sink.readings().size();
    assertThat(afterStop).isPositive();
    // The peer keeps producing; a stopped adapter must not deliver any of it.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> sink.readings().size() == afterStop);
  }

  @Test
  void the_status_leaves_connected_when_the_peer_goes_away_and_data_resumes_when_it_returns()
      throws Exception {
    adapter.start();
    await().atMost(patience()).until(() -> sink.devicesWithGoodReadings().containsAll(devices()));

    stopPeer();
    await()
        .atMost(patience())
        .until(() -> adapter.status().state() != SourceStatus.State.CONNECTED);

    sink.clear();
    startPeer();
    await()
        .atMost(patience())
        .until(() -> adapter.status().state() == SourceStatus.State.CONNECTED);
    await().atMost(patience()).until(() -> sink.devicesWithGoodReadings().containsAll(devices()));
  }
}
