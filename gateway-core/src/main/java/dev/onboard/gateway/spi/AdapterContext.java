package dev.onboard.gateway.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ThreadFactory;

/**
 * What the gateway gives an adapter: where to send events, the clock to stamp them with, a
 * directory of its own and named threads.
 *
 * @param sink receives every reading, device event and status change; never blocks for long
 * @param clock the time source for receive timestamps (tests move it)
 * @param dataDir a directory for this source only (certificates, dead letters); created by the
 *     gateway before {@link SourceAdapter#start()}
 * @param threads names each thread after the source, e.g. {@code onboard-opcua-plant1-1}
 */
public record AdapterContext(EventSink sink, Clock clock, Path dataDir, ThreadFactory threads) {}
