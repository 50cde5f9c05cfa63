package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Skew;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * What the adapter knows about one device's liveness: whether it is connected, the last value,
 * source time and quality of each of its tags, its clock skew, when a tag last changed and which
 * flags are raised. Emits {@code Connected}, {@code Disconnected}, {@code Alive}, {@code Flagged}
 * and {@code FlagCleared} on transitions only, so a steady state costs nothing downstream.
 *
 * <p>Every flag it raises is a condition and is cleared when the condition goes away: FROZEN_VALUES
 * when a tag changes value or source time again, BAD_QUALITY when every tag has been Good for
 * {@link #QUALITY_HOLD}, CLOCK_SKEW when a value ahead of the gateway is within half the tolerance
 * or a whole skew window's least late value is within half the tolerance plus lag,
 * SERVER_NOT_RUNNING when the server serves data again. The hold and the half tolerance keep a
 * flickering sensor or a clock at the limit from raising and clearing by turns.
 *
 * <ul>
 *   <li>A value whose source time is one of the tag's last {@link #RECENT} source times is a
 *       repeat: the server sends each item's current value again when a subscription is re-created,
 *       and Milo 1.1.2 delivers a notification message twice when responses overtake each other (it
 *       republishes the "missing" one, then delivers the late original too). {@link #onValue} says
 *       so and the adapter does not deliver it again.
 *   <li>Clock skew is source time minus receive time. A source time ahead of the gateway by more
 *       than the tolerance is flagged at once; one behind by more than the tolerance plus the delay
 *       a value may legitimately spend in the server's queue (sampling plus publishing interval) is
 *       flagged too, except for a tag's first value after (re)subscribing, which is the current
 *       value however old.
 *   <li>{@link #aliveTick} confirms a quiet device as alive while its last values are Good, unless
 *       no tag changed for {@code frozenAfter}: then the device is flagged FROZEN_VALUES and left
 *       to go stale.
 * </ul>
 *
 * <p>Thread-safety: all methods are synchronized; they are called from Milo's delivery thread and
 * the adapter's session thread.
 */
final class DeviceLiveness {

  /** How many recent source times per tag are remembered to recognise a repeated value. */
  static final int RECENT = 16;

  /** Values behind the gateway's clock are judged by the least late one in each such window. */
  static final Duration SKEW_WINDOW = Duration.ofSeconds(5);

  /**
   * How long every tag must stay Good before BAD_QUALITY clears, so a flickering sensor stays
   * flagged instead of filling the evidence with a raise and a clear per value.
   */
  static final Duration QUALITY_HOLD = Duration.ofSeconds(5);

  private final String deviceId;
  private final EventSink sink;
  private final Clock clock;
  private final Duration skewTolerance;
  private final Duration lagAllowance;
  private final Duration frozenAfter;

  private String[] tags = new String[0];
  private StatusCode[] lastStatus = new StatusCode[0];
  private Object[] lastValue = new Object[0];
  private Instant[] lastSource = new Instant[0];
  private long[][] recentSource = new long[0][];
  private int[] recentNext = new int[0];
  private boolean[] seenSinceSubscribe = new boolean[0];
  private boolean connected;
  private boolean badQualityFlagged;
  private boolean skewFlagged;
  private boolean serverNotRunningFlagged;
  private boolean frozenFlagged;
  // Nanoseconds, not Durations: checked for every value, and a Duration per value was a tenth of
  // what the gateway allocated at 300,000 samples/s.
  private long skewNanos;
  private Instant skewWindowStart;
  private long leastBehindNanos;
  private Instant lastChange;
  private Instant lastDelivered;
  private Instant lastNotGood;

  /**
   * @param skewTolerance how far source time may be from receive time
   * @param lagAllowance how long a value may legitimately wait in the server before it is sent
   * @param frozenAfter how long without any changed tag before the device counts as frozen
   */
  DeviceLiveness(
      String deviceId,
      EventSink sink,
      Clock clock,
      Duration skewTolerance,
      Duration lagAllowance,
      Duration frozenAfter) {
    this.deviceId = deviceId;
    this.sink = sink;
    this.clock = clock;
    this.skewTolerance = skewTolerance;
    this.lagAllowance = lagAllowance;
    this.frozenAfter = frozenAfter;
  }

  String deviceId() {
    return deviceId;
  }

  /** Declares the device's tags once its nodes are resolved; indexes are tag positions. */
  synchronized void bindTags(String[] tagNames) {
    tags = tagNames.clone();
    lastStatus = new StatusCode[tags.length];
    lastValue = new Object[tags.length];
    lastSource = new Instant[tags.length];
    recentSource = new long[tags.length][RECENT];
    for (long[] r : recentSource) {
      Arrays.fill(r, Long.MIN_VALUE);
    }
    recentNext = new int[tags.length];
    seenSinceSubscribe = new boolean[tags.length];
  }

  /** The device's items are being created on the server again: their next values are current. */
  synchronized void resubscribed() {
    Arrays.fill(seenSinceSubscribe, false);
  }

  /**
   * One value arrived for tag {@code index}.
   *
   * @param value the converted value, null if none
   * @param sourceTime the equipment's timestamp, null if it sent none
   * @param live whether the session is up and the server serving data
   * @return false if this is a repeat of the tag's last value, which must not be delivered again
   */
  synchronized boolean onValue(
      int index,
      StatusCode status,
      Object value,
      Instant sourceTime,
      Instant receiveTime,
      boolean live) {
    StatusCode st = status == null ? StatusCode.GOOD : status;
    boolean known = lastStatus[index] != null;
    boolean repeat = sourceTime != null && !remember(index, sourceTime);
    if (repeat) {
      return false;
    }
    boolean changed =
        !known
            || !Objects.equals(value, lastValue[index])
            || !Objects.equals(sourceTime, lastSource[index]);
    boolean first = !seenSinceSubscribe[index];
    seenSinceSubscribe[index] = true;
    lastStatus[index] = st;
    lastValue[index] = value;
    lastSource[index] = sourceTime;
    if (Values.meansUnreachable(st)) {
      disconnect(
          "device not reachable behind the server: " + tags[index] + " reports " + Values.name(st));
      return true;
    }
    if (live && !connected && noneUnreachable()) {
      connected = true;
      sink.event(new DeviceEvent.Connected(deviceId, clock.instant()));
    }
    checkQuality(index, st, receiveTime);
    lastDelivered = receiveTime;
    if (changed) {
      lastChange = receiveTime;
      if (frozenFlagged) {
        frozenFlagged = false;
        clear(DeviceEvent.Flag.FROZEN_VALUES, tags[index] + " changed again");
      }
    }
    if (sourceTime != null) {
      checkSkew(Skew.nanosBetween(receiveTime, sourceTime), first, receiveTime);
    }
    return true;
  }

  /**
   * Records a tag's source time among its recent ones.
   *
   * @return false if it was there already: the value is a repeat
   */
  private boolean remember(int index, Instant sourceTime) {
    long key = sourceTime.getEpochSecond() * 1_000_000_000L + sourceTime.getNano();
    long[] recent = recentSource[index];
    for (long r : recent) {
      if (r == key) {
        return false;
      }
    }
    recent[recentNext[index]] = key;
    recentNext[index] = (recentNext[index] + 1) % RECENT;
    return true;
  }

  /** The session dropped, the subscription went silent or the server left RUNNING. */
  synchronized void disconnect(String cause) {
    if (connected) {
      connected = false;
      sink.event(new DeviceEvent.Disconnected(deviceId, clock.instant(), cause));
    }
  }

  /** The server is not serving data: the device does not count, whatever its values say. */
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
   * The server serves data again with the session up: connected if its last values were readable.
   */
  synchronized void serverRunning() {
    if (serverNotRunningFlagged) {
      serverNotRunningFlagged = false;
      clear(DeviceEvent.Flag.SERVER_NOT_RUNNING, "the server serves data again (state RUNNING)");
    }
    if (!connected && allKnown() && noneUnreachable()) {
      connected = true;
      sink.event(new DeviceEvent.Connected(deviceId, clock.instant()));
    }
  }

  /**
   * Called about every {@code period} while the session is up, the server serving and the device's
   * subscription answering: emits {@code Alive} for a connected device with Good last values that
   * delivered nothing during the period, unless it is frozen.
   */
  synchronized void aliveTick(Instant now, Duration period) {
    if (!connected || !allKnown() || !allGood()) {
      return;
    }
    // A quiet device's last values may all be Good long before another value arrives.
    clearBadQualityIfSteady(now);
    if (lastChange != null && Duration.between(lastChange, now).compareTo(frozenAfter) > 0) {
      if (!frozenFlagged) {
        frozenFlagged = true;
        sink.event(
            new DeviceEvent.Flagged(
                deviceId,
                clock.instant(),
                DeviceEvent.Flag.FROZEN_VALUES,
                "no tag changed value or source time for "
                    + seconds(Duration.between(lastChange, now))
                    + " (frozenAfter "
                    + seconds(frozenAfter)
                    + "); keep-alives no longer count until a value changes"));
      }
      return;
    }
    if (lastDelivered == null || Duration.between(lastDelivered, now).compareTo(period) >= 0) {
      sink.event(new DeviceEvent.Alive(deviceId, clock.instant()));
    }
  }

  /** Source time minus receive time of the latest value; positive when the device runs ahead. */
  synchronized Duration skew() {
    return Duration.ofNanos(skewNanos);
  }

  synchronized boolean connected() {
    return connected;
  }

  synchronized boolean frozen() {
    return frozenFlagged;
  }

  private void checkQuality(int index, StatusCode status, Instant at) {
    if (Values.quality(status) != Quality.GOOD) {
      lastNotGood = at;
      if (!badQualityFlagged) {
        badQualityFlagged = true;
        sink.event(
            new DeviceEvent.Flagged(
                deviceId,
                clock.instant(),
                DeviceEvent.Flag.BAD_QUALITY,
                tags[index] + " reports " + Values.name(status)));
      }
    } else {
      clearBadQualityIfSteady(at);
    }
  }

  private void clearBadQualityIfSteady(Instant now) {
    if (badQualityFlagged
        && allGood()
        && Duration.between(lastNotGood, now).compareTo(QUALITY_HOLD) >= 0) {
      badQualityFlagged = false;
      clear(
          DeviceEvent.Flag.BAD_QUALITY,
          "every tag has reported Good for " + seconds(Duration.between(lastNotGood, now)));
    }
  }

  private void checkSkew(long observed, boolean firstSinceSubscribe, Instant at) {
    boolean ahead = observed >= 0;
    if (!ahead && firstSinceSubscribe) {
      // The current value of a slow tag may be old; it says nothing about the device's clock.
      return;
    }
    skewNanos = observed;
    long tolerance = skewTolerance.toNanos();
    if (ahead) {
      if (observed > tolerance) {
        raiseSkew(observed, tolerance);
      } else if (observed <= tolerance / 2) {
        // A value is never early by waiting in a queue: ahead by little is a clock in step. Half
        // the tolerance, so a clock hovering at the tolerance does not raise and clear by turns.
        clearSkew(observed);
      }
      return;
    }
    long lag = lagAllowance.toNanos();
    if (skewWindowStart == null) {
      skewWindowStart = at;
      leastBehindNanos = observed;
    } else if (Skew.nanosBetween(skewWindowStart, at) >= SKEW_WINDOW.toNanos()) {
      if (-leastBehindNanos > tolerance + lag) {
        raiseSkew(leastBehindNanos, tolerance + lag);
      } else if (-leastBehindNanos <= tolerance / 2 + lag) {
        clearSkew(leastBehindNanos);
      }
      skewWindowStart = at;
      leastBehindNanos = observed;
    } else if (observed > leastBehindNanos) {
      leastBehindNanos = observed;
    }
  }

  private void raiseSkew(long observed, long limit) {
    if (skewFlagged) {
      return;
    }
    skewFlagged = true;
    sink.event(
        new DeviceEvent.Flagged(
            deviceId,
            clock.instant(),
            DeviceEvent.Flag.CLOCK_SKEW,
            String.format(
                "source timestamps are %.1f s %s the gateway clock (tolerance %.1f s)",
                millis(Math.abs(observed)) / 1000.0,
                observed < 0 ? "behind" : "ahead of",
                millis(limit) / 1000.0)));
  }

  private void clearSkew(long observed) {
    if (skewFlagged) {
      skewFlagged = false;
      clear(
          DeviceEvent.Flag.CLOCK_SKEW,
          String.format(
              "source timestamps are within tolerance again (%.1f s %s the gateway clock)",
              millis(Math.abs(observed)) / 1000.0, observed < 0 ? "behind" : "ahead of"));
    }
  }

  /** Whole milliseconds, as {@link Duration#toMillis()} counts them. */
  private static long millis(long nanos) {
    return nanos / 1_000_000L;
  }

  private void clear(DeviceEvent.Flag flag, String why) {
    sink.event(new DeviceEvent.FlagCleared(deviceId, clock.instant(), flag, why));
  }

  private static String seconds(Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }

  private boolean allKnown() {
    return Arrays.stream(lastStatus).allMatch(Objects::nonNull);
  }

  private boolean allGood() {
    return Arrays.stream(lastStatus).allMatch(s -> s != null && s.isGood());
  }

  private boolean noneUnreachable() {
    return Arrays.stream(lastStatus).noneMatch(Values::meansUnreachable);
  }
}
