package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.SourceStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/** One OPC UA adapter under test, built from {@link Specs}, with its sink and data directory. */
final class Harness implements AutoCloseable {

  private static final AtomicInteger THREADS = new AtomicInteger();

  final OpcUaSourceAdapter adapter;

  Harness(Specs specs, EventSink sink, Path dataDir) throws Exception {
    AdapterContext context =
        new AdapterContext(
            sink,
            Clock.systemUTC(),
            dataDir,
            r -> {
              Thread t = new Thread(r, "opcua-it-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    adapter = (OpcUaSourceAdapter) new OpcUaAdapterProvider().create(specs.build(), context);
  }

  Harness start() {
    adapter.start();
    return this;
  }

  SourceStatus status() {
    return adapter.status();
  }

  SourceStatus.State state() {
    return adapter.status().state();
  }

  @Override
  public void close() {
    adapter.close();
  }
}
