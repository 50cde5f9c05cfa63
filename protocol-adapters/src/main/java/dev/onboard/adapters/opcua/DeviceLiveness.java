package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Quality;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * What the adapter knows about one device's liveness: whether it is connected, the last quality of
 * each of its tags, its clock skew and which flags are raised. Emits {@code Connected}, {@code
 * Disconnected}, {@code Alive} and {@code Flagged} on transitions only, so a steady state costs
 * nothing downstream.
 *
 * <p>Thread-safety: all methods are synchronized; they are called from Milo's delivery thread and
 * the adapter's session thread.
 */
final class DeviceLiveness {

  private final String deviceId;
  private final EventSink sink;
  private final Clock clock;
  private final Duration skewTolerance;

  private String[] tags = new String[0];
  private StatusCode[] lastStatus = new StatusCode[0];
  private boolean connected;
  private boolean badQualityFlagged;
  private boolean skewFlagged;
  private boolean serverNotRunningFlagged;
  private Duration skew = Duration.ZERO;

  DeviceLiveness(String deviceId, EventSink sink, Clock clock, Duration skewTolerance) {
    this.deviceId = deviceId;
    this.sink = sink;
    this.clock = clock;
    this.skewTolerance = skewTolerance;
  }

  String deviceId() {
    return deviceId;
  }

  /** Declares the device's tags once its nodes are resolved; indexes are tag positions. */
  synchronized void bindTags(String[] tagNames) {
    tags = tagNames.clone();
    lastStatus = new StatusCode[tags.length];
  }

  /**
   * One value arrived for tag {@code index}.
   *
   * @param live whether the session is up and the server RUNNING
   */
  synchronized void onValue(
      int index, StatusCode status, Instant sourceTime, Instant receiveTime, boolean live) {
    lastStatus[index] = status == null ? StatusCode.GOOD : status;
    if (Values.meansUnreachable(status)) {
      disconnect(
          "device not reachable behind the server: "
              + tags[index]
              + " reports "
              + Values.name(status));
      return;
    }
    if (live && !connected && noneUnreachable()) {
      connected = true;
      sink.event(new DeviceEvent.Connected(deviceId, clock.instant()));
    }
    checkQuality(index, status);
    if (sourceTime != null) {
      checkSkew(Duration.between(receiveTime, sourceTime));
    }
  }

  /** The session dropped or the server left RUNNING. */
  synchronized void disconnect(String cause) {
    if (connected) {
      connected = false;
      sink.event(new DeviceEvent.Disconnected(deviceId, clock.instant(), cause));
    }
  }

  /** The server's state is not RUNNING: the device does not count, whatever its values say. */
  synchronized void serverNotRunning(String cause) {
    disconnect(cause);
    if (!serverNotRunningFlagged) {
      serverNotRunningFlagged = true;
      sink.event(
          new DeviceEvent.Flagged(
              deviceId, clock.instant(), DeviceEvent.Flag.SERVER_NOT_RUNNING, cause));
    }
  }

  /**
   * The server is RUNNING again with the session up: connected if the last values were readable.
   */
  synchronized void serverRunning() {
    serverNotRunningFlagged = false;
    if (!connected && allKnown() && noneUnreachable()) {
      connected = true;
      sink.event(new DeviceEvent.Connected(deviceId, clock.instant()));
    }
  }

  /** A subscription keep-alive: the device is live if connected and its last values are Good. */
  synchronized void onKeepAlive() {
    if (connected && allKnown() && allGood()) {
      sink.event(new DeviceEvent.Alive(deviceId, clock.instant()));
    }
  }

  /** Source time minus receive time of the latest value; positive when the device runs ahead. */
  synchronized Duration skew() {
    return skew;
  }

  synchronized boolean connected() {
    return connected;
  }

  private void checkQuality(int index, StatusCode status) {
    if (Values.quality(status) != Quality.GOOD) {
      if (!badQualityFlagged) {
        badQualityFlagged = true;
        sink.event(
            new DeviceEvent.Flagged(
                deviceId,
                clock.instant(),
                DeviceEvent.Flag.BAD_QUALITY,
                tags[index] + " reports " + Values.name(status)));
      }
    } else if (badQualityFlagged && allGood()) {
      badQualityFlagged = false;
    }
  }

  private void checkSkew(Duration observed) {
    skew = observed;
    boolean beyond = observed.abs().compareTo(skewTolerance) > 0;
    if (beyond && !skewFlagged) {
      skewFlagged = true;
      sink.event(
          new DeviceEvent.Flagged(
              deviceId,
              clock.instant(),
              DeviceEvent.Flag.CLOCK_SKEW,
              String.format(
                  "source timestamps are %.1f s %s the gateway clock (tolerance %.1f s)",
                  observed.abs().toMillis() / 1000.0,
                  observed.isNegative() ? "behind" : "ahead of",
                  skewTolerance.toMillis() / 1000.0)));
    } else if (!beyond) {
      skewFlagged = false;
    }
  }

  private boolean allKnown() {
    return Arrays.stream(lastStatus).allMatch(s -> s != null);
  }

  private boolean allGood() {
    return Arrays.stream(lastStatus).allMatch(s -> s != null && s.isGood());
  }

  private boolean noneUnreachable() {
    return Arrays.stream(lastStatus).noneMatch(Values::meansUnreachable);
  }
}
