package dev.onboard.gateway.spi;

import java.util.concurrent.CompletableFuture;

/**
 * One connection to one source of data: an OPC UA server or an MQTT broker, with every inventory
 * device it serves. The adapter owns reconnecting; the gateway only starts and stops it.
 *
 * <p>Lifecycle: {@link #start()} and {@link #stop()} are idempotent and return at once; the futures
 * complete when the adapter has begun connecting (start) or released every connection and thread
 * (stop). Calling {@code start()} twice returns the same future; {@code stop()} before {@code
 * start()} completes immediately; an adapter is not started again after it stopped. {@link
 * #close()} is {@code stop().join()}.
 *
 * <p>Start never waits for the peer: an unreachable server is a {@link SourceStatus}, not an
 * exception.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public interface SourceAdapter extends AutoCloseable {

  /** The source's id from the configuration. */
  String sourceId();

  CompletableFuture<Void> start();

  CompletableFuture<Void> stop();

  /** The current state of the connection to the source, with the last error in words. */
  SourceStatus status();

  @Override
  default void close() {
    stop().join();
  }
}
