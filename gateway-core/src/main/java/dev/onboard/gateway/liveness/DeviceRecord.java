package dev.onboard.gateway.liveness;

import dev.onboard.gateway.spi.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable liveness state of one device. Every method is {@code synchronized}: each device has
 * its own lock, so adapters' threads contend only when they report the same device.
 */
final class DeviceRecord {

  static final String IDENTITY_MISMATCH = "IDENTITY_MISMATCH";
  static final String DUPLICATE_IDENTITY = "DUPLICATE_IDENTITY";

  final TrackedDevice device;
  private DeviceState state = DeviceState.UNKNOWN;
  private Instant since;
  private String cause = "not heard from yet";
  private Instant firstSeen;
  private Instant lastSeen;
  private Instant onlineSince;
  private Duration onlineBefore = Duration.ZERO;
  private boolean disconnected;
  private long goodSamples;
  private Map<String, String> identity = Map.of();
  private final Map<String, Object> lastValues = new HashMap<>();
  private long minuteGood;
  private long minuteChanges;
  private long minuteMaxSkew;
  private long onlineAtLastClose;
  private final Map<String, String> flags = new LinkedHashMap<>();

  DeviceRecord(TrackedDevice device, Instant start) {
    this.device = device;
    this.since = start;
  }

  /** Good data, a keep-alive or a birth: the device is live unless its connection is down. */
  synchronized StateChange seen(Instant at, boolean isSample, String why) {
    if (isSample) {
      goodSamples++;
    }
    if (disconnected) {
      // After a Disconnected or Death, only Connected or Birth makes data count again: a server in
      // TEST state still sends Good values, and those must never count as online time.
      return null;
    }
    if (firstSeen == null) {
      firstSeen = at;
    }
    if (lastSeen == null || at.isAfter(lastSeen)) {
      lastSeen = at;
    }
    return moveTo(DeviceState.ONLINE, at, why);
  }

  /** A Good, live reading: counted for presence, then a sign of life. */
  synchronized StateChange sample(Reading r) {
    minuteGood++;
    minuteMaxSkew =
        Math.max(
            minuteMaxSkew,
            Math.abs(r.receiveTime().toEpochMilli() - r.sourceTime().toEpochMilli()));
    Object previous = lastValues.put(r.tag(), r.value());
    if (previous != null && !previous.equals(r.value())) {
      minuteChanges++;
    }
    return seen(r.receiveTime(), true, "Good data");
  }

  /**
   * Ends the minute {@code [minuteStart, minuteEnd)}: returns the device's presence in it and
   * starts counting the next. {@code observedFrom} is when the gateway began watching, for a first
   * partial minute.
   */
  synchronized PresenceRecord closeMinute(
      Instant minuteStart, Instant minuteEnd, Instant observedFrom) {
    long onlineUntilEnd = onlineMillisUntil(minuteEnd);
    Instant from = observedFrom.isAfter(minuteStart) ? observedFrom : minuteStart;
    long observed = Math.max(0, Duration.between(from, minuteEnd).toMillis());
    PresenceRecord record =
        new PresenceRecord(
            device.id(),
            minuteStart,
            observed,
            // Capped: after a skipped (unknown) stretch the counter holds more than this minute.
            Math.min(observed, Math.max(0, onlineUntilEnd - onlineAtLastClose)),
            minuteGood,
            minuteChanges,
            minuteMaxSkew);
    onlineAtLastClose = onlineUntilEnd;
    minuteGood = 0;
    minuteChanges = 0;
    minuteMaxSkew = 0;
    return record;
  }

  private long onlineMillisUntil(Instant t) {
    long online = onlineBefore.toMillis();
    if (onlineSince != null && t.isAfter(onlineSince)) {
      online += Duration.between(onlineSince, t).toMillis();
    }
    return online;
  }

  synchronized void connected() {
    disconnected = false;
  }

  synchronized StateChange disconnected(Instant at, String why) {
    disconnected = true;
    return moveTo(DeviceState.OFFLINE, at, why);
  }

  /**
   * Applies the silence timeouts at {@code now}. Transitions are stamped at the instant the timeout
   * ran out ({@code lastSeen + staleAfter}, {@code lastSeen + offlineAfter}), not when the sweep
   * happened to run, so state history and online time do not depend on the sweep's schedule.
   */
  synchronized List<StateChange> sweep(Instant now) {
    if (lastSeen == null || state == DeviceState.OFFLINE || state == DeviceState.UNKNOWN) {
      return List.of();
    }
    List<StateChange> out = new ArrayList<>(2);
    Instant staleAt = lastSeen.plus(device.timeouts().staleAfter());
    Instant offlineAt = lastSeen.plus(device.timeouts().offlineAfter());
    if (state == DeviceState.ONLINE && now.isAfter(staleAt)) {
      out.add(
          moveTo(
              DeviceState.STALE,
              staleAt,
              "no Good data for " + human(device.timeouts().staleAfter())));
    }
    if (now.isAfter(offlineAt)) {
      out.add(
          moveTo(
              DeviceState.OFFLINE,
              offlineAt,
              "no Good data for " + human(device.timeouts().offlineAfter())));
    }
    return out;
  }

  /**
   * What the equipment said about itself: raises {@code IDENTITY_MISMATCH} when it contradicts the
   * enterprise's claim, and clears it only when the equipment's identity agrees with the claim
   * again (a fact about identity, never cleared by an adapter).
   */
  synchronized StateChange identity(Map<String, String> observed, Instant at) {
    identity = Map.copyOf(observed);
    List<String> mismatches = new ArrayList<>();
    device
        .claimedIdentity()
        .forEach(
            (key, claimed) -> {
              String said = observed.get(key);
              if (said != null && !said.equals(claimed)) {
                mismatches.add(key + ": claimed " + claimed + ", equipment says " + said);
              }
            });
    if (mismatches.isEmpty()) {
      return clear(
          IDENTITY_MISMATCH, "the equipment's identity agrees with the inventory again", at);
    }
    return raise(IDENTITY_MISMATCH, String.join("; ", mismatches), at);
  }

  /**
   * Raises a flag, or updates the detail of one already raised.
   *
   * @return the status change to record when the flag is new; null when it was already raised
   */
  synchronized StateChange raise(String name, String detail, Instant at) {
    boolean isNew = flags.put(name, detail) == null;
    return isNew
        ? flagChange(at, "flagged " + name + (detail.isEmpty() ? "" : ": " + detail))
        : null;
  }

  /**
   * Clears a flag.
   *
   * @return the status change to record; null when the flag was not raised
   */
  synchronized StateChange clear(String name, String why, Instant at) {
    if (flags.remove(name) == null) {
      return null;
    }
    return flagChange(at, name + " cleared" + (why.isEmpty() ? "" : ": " + why));
  }

  /** A change of flags alone: the state stays, so {@code from} equals {@code to}. */
  private StateChange flagChange(Instant at, String why) {
    return new StateChange(device.id(), state, state, at, why);
  }

  synchronized DeviceState state() {
    return state;
  }

  synchronized DeviceView view(Instant now) {
    List<String> flagTexts = new ArrayList<>();
    flags.forEach((k, v) -> flagTexts.add(v.isEmpty() ? k : k + " " + v));
    return new DeviceView(
        device.id(),
        device.enterpriseId(),
        device.sourceId(),
        device.protocol(),
        state,
        since,
        cause,
        firstSeen,
        lastSeen,
        onlineRatio(now),
        goodSamples,
        identity,
        List.copyOf(flagTexts));
  }

  private double onlineRatio(Instant now) {
    if (firstSeen == null || !now.isAfter(firstSeen)) {
      return 0;
    }
    Duration online = onlineBefore;
    if (onlineSince != null) {
      online = online.plus(Duration.between(onlineSince, now));
    }
    double ratio = (double) online.toMillis() / Duration.between(firstSeen, now).toMillis();
    return Math.round(Math.min(1.0, ratio) * 10_000) / 10_000.0;
  }

  private StateChange moveTo(DeviceState to, Instant at, String why) {
    if (state == to) {
      return null;
    }
    if (state == DeviceState.ONLINE && onlineSince != null) {
      onlineBefore = onlineBefore.plus(Duration.between(onlineSince, at));
      onlineSince = null;
    }
    if (to == DeviceState.ONLINE) {
      onlineSince = at;
    }
    StateChange change = new StateChange(device.id(), state, to, at, why);
    state = to;
    since = at;
    cause = why;
    return change;
  }

  private static String human(Duration d) {
    long ms = d.toMillis();
    return ms < 10_000 ? String.format("%.1f s", ms / 1000.0) : (ms / 1000) + " s";
  }
}
