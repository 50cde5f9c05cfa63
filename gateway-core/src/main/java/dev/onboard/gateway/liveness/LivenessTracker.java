package dev.onboard.gateway.liveness;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decides each inventory device's {@link DeviceState} from what its adapter reports, and keeps the
 * last-seen time, online ratio, identity and flags the API shows.
 *
 * <p>Only Good, live (not historical) readings, keep-alives and births count as signs of life, and
 * only while the device's connection is up. Silence is judged by {@link #sweep()}, which the
 * gateway calls on a schedule and tests call after moving the clock. Events for devices not in the
 * inventory are ignored.
 *
 * <p>Flags: an adapter's {@link DeviceEvent.Flagged} raises a flag and its {@link
 * DeviceEvent.FlagCleared} clears it (only condition flags can be cleared: frozen values, bad
 * quality, clock skew, server not running). {@code IDENTITY_MISMATCH} and {@code
 * DUPLICATE_IDENTITY} are facts the tracker itself decides from identity reports; they clear only
 * when the equipment's identity agrees with the claim again or is the device's own. A flag that
 * appears or clears goes to the listener as a {@link StateChange} whose {@code from} equals its
 * {@code to} and whose cause names the flag, stamped with the event's time, so status points and
 * the evidence ledger keep the history; the same flag raised again while it stands only updates its
 * detail.
 *
 * <p>Thread-safety: all methods may be called concurrently from any thread; each device has its own
 * lock. State changes go to the listener outside that lock, in the order they happened per device.
 */
public final class LivenessTracker {

  private final Clock clock;
  private final Map<String, DeviceRecord> devices = new LinkedHashMap<>();
  private final IdentityRegistry identities = new IdentityRegistry();
  private final Consumer<StateChange> listener;
  private final Instant startedAt;

  public LivenessTracker(
      Clock clock, Collection<TrackedDevice> inventory, Consumer<StateChange> listener) {
    this.clock = clock;
    this.listener = listener;
    Instant now = clock.instant();
    this.startedAt = now;
    for (TrackedDevice d : inventory) {
      devices.put(d.id(), new DeviceRecord(d, now));
    }
  }

  public void reading(Reading r) {
    DeviceRecord d = devices.get(r.deviceId());
    if (d == null || r.quality() != Quality.GOOD || r.historical()) {
      return;
    }
    publish(d.sample(r));
  }

  public void event(DeviceEvent e) {
    DeviceRecord d = devices.get(e.deviceId());
    if (d == null) {
      return;
    }
    // Java 17: no pattern matching in switch; DeviceEvent is sealed, so this chain is complete.
    if (e instanceof DeviceEvent.Connected) {
      d.connected();
    } else if (e instanceof DeviceEvent.Disconnected x) {
      publish(d.disconnected(x.time(), x.cause()));
    } else if (e instanceof DeviceEvent.Alive a) {
      publish(d.seen(a.time(), false, "keep-alive"));
    } else if (e instanceof DeviceEvent.Birth b) {
      d.connected();
      publish(d.seen(b.time(), false, "birth"));
    } else if (e instanceof DeviceEvent.Death x) {
      publish(d.disconnected(x.time(), "death: " + x.cause()));
    } else if (e instanceof DeviceEvent.IdentityObserved i) {
      publish(d.identity(i.identity().attributes(), i.time()));
      publish(identities.observe(e.deviceId(), i.identity(), devices, i.time()));
    } else if (e instanceof DeviceEvent.Flagged f) {
      publish(d.raise(f.flag().name(), f.detail(), f.time()));
    } else if (e instanceof DeviceEvent.FlagCleared c) {
      publish(d.clear(c.flag().name(), c.detail(), c.time()));
    }
  }

  /** Applies every device's silence timeouts at the clock's current time. */
  public void sweep() {
    Instant now = clock.instant();
    for (DeviceRecord d : devices.values()) {
      d.sweep(now).forEach(this::publish);
    }
  }

  public List<DeviceView> devices() {
    Instant now = clock.instant();
    List<DeviceView> out = new ArrayList<>(devices.size());
    for (DeviceRecord d : devices.values()) {
      out.add(d.view(now));
    }
    return out;
  }

  public Optional<DeviceView> device(String id) {
    DeviceRecord d = devices.get(id);
    return d == null ? Optional.empty() : Optional.of(d.view(clock.instant()));
  }

  /**
   * Ends the minute that ends at {@code minuteEnd} (a whole minute): applies the silence timeouts
   * as of that instant, then returns every device's presence in the minute, in inventory order.
   */
  public List<PresenceRecord> closeMinute(Instant minuteEnd) {
    Instant minuteStart = minuteEnd.minus(java.time.Duration.ofMinutes(1));
    List<PresenceRecord> out = new ArrayList<>(devices.size());
    for (DeviceRecord d : devices.values()) {
      d.sweep(minuteEnd).forEach(this::publish);
      out.add(d.closeMinute(minuteStart, minuteEnd, startedAt));
    }
    return out;
  }

  /** The tracker's clock's current instant. */
  public java.time.Instant clockInstant() {
    return clock.instant();
  }

  /** How many devices are in each state now; every state is present. */
  public Map<DeviceState, Long> countByState() {
    Map<DeviceState, Long> counts = new EnumMap<>(DeviceState.class);
    for (DeviceState s : DeviceState.values()) {
      counts.put(s, 0L);
    }
    for (DeviceRecord d : devices.values()) {
      counts.merge(d.state(), 1L, Long::sum);
    }
    return counts;
  }

  private void publish(StateChange change) {
    if (change != null) {
      listener.accept(change);
    }
  }
}
