package dev.onboard.gateway.supervisor;

import dev.onboard.gateway.spi.AdapterContext;
import dev.onboard.gateway.spi.AdapterProvider;
import dev.onboard.gateway.spi.ConfigException;
import dev.onboard.gateway.spi.DeviceSpec;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.spi.SourceAdapter;
import dev.onboard.gateway.spi.SourceSpec;
import dev.onboard.gateway.spi.SourceStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test adapter ({@code protocol: scripted}) that a test drives by hand: the seam between the
 * supervisor and real protocols. Its only setting, {@code tagName}, is validated like a real one.
 */
public final class ScriptedAdapterProvider implements AdapterProvider {

  static final Map<String, Scripted> CREATED = new ConcurrentHashMap<>();

  @Override
  public String protocol() {
    return "scripted";
  }

  @Override
  public SourceAdapter create(SourceSpec spec, AdapterContext context) throws ConfigException {
    spec.settings().rejectUnknownKeys(Set.of("tagName"));
    Scripted adapter = new Scripted(spec, context, spec.settings().string("tagName", "value"));
    CREATED.put(spec.id(), adapter);
    return adapter;
  }

  /** The adapter: reports what the test tells it to. */
  static final class Scripted implements SourceAdapter {
    private final SourceSpec spec;
    private final AdapterContext context;
    private final String tag;
    private volatile SourceStatus status;
    private CompletableFuture<Void> started;
    private CompletableFuture<Void> stopped;

    Scripted(SourceSpec spec, AdapterContext context, String tag) {
      this.spec = spec;
      this.context = context;
      this.tag = tag;
      this.status =
          new SourceStatus(
              spec.id(), "scripted", SourceStatus.State.STOPPED, "", context.clock().instant());
    }

    List<String> devices() {
      return spec.devices().stream().map(DeviceSpec::id).toList();
    }

    void emit(String device, double value) {
      context
          .sink()
          .reading(
              Reading.of(
                  device,
                  tag,
                  value,
                  context.clock().instant(),
                  context.clock().instant(),
                  Quality.GOOD));
    }

    @Override
    public String sourceId() {
      return spec.id();
    }

    @Override
    public synchronized CompletableFuture<Void> start() {
      if (started == null) {
        status =
            new SourceStatus(
                spec.id(), "scripted", SourceStatus.State.CONNECTED, "", context.clock().instant());
        context.sink().sourceStatus(status);
        started = CompletableFuture.completedFuture(null);
      }
      return started;
    }

    @Override
    public synchronized CompletableFuture<Void> stop() {
      if (stopped == null) {
        status =
            new SourceStatus(
                spec.id(), "scripted", SourceStatus.State.STOPPED, "", context.clock().instant());
        stopped = CompletableFuture.completedFuture(null);
      }
      return stopped;
    }

    @Override
    public SourceStatus status() {
      return status;
    }
  }
}
