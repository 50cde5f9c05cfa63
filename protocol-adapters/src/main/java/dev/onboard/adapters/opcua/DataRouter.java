package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ServerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns subscription notifications into readings, liveness events and nameplate changes, and judges
 * whether the server is serving data: session up, {@code ServerStatus.State} RUNNING and {@code
 * ServiceLevel} at least 2 (0 is maintenance and 1 "no data" in OPC UA Part 4). Each monitored item
 * carries its {@link TagBinding}, {@link NameplateBinding}, {@link #SERVER_STATE} or {@link
 * #SERVICE_LEVEL} as user object, so routing costs no lookup.
 *
 * <p>While the server is not serving, readings still flow (they are what the equipment said) but
 * with at most {@link Quality#UNCERTAIN}, so nothing downstream counts them as live time.
 *
 * <p>Each subscription has its own {@link Group} as listener, which knows its devices and whether
 * the server still answers it.
 *
 * <p>Thread-safety: notifications arrive on Milo's delivery threads; the state fields are volatile
 * and set from the adapter's session thread.
 */
final class DataRouter {

  private static final Logger log = LoggerFactory.getLogger(DataRouter.class);

  /** The user object of the ServerStatus.State item. */
  static final Object SERVER_STATE = new Object();

  /** The user object of the ServiceLevel item. */
  static final Object SERVICE_LEVEL = new Object();

  /** Below this ServiceLevel a server says it cannot serve data (0 maintenance, 1 no data). */
  static final int MIN_SERVING_LEVEL = 2;

  /** Where a monitored item's values go. */
  record TagBinding(DeviceLiveness device, int index, String tag) {}

  /** A device's DI nameplate property. */
  record NameplateBinding(String deviceId, String property) {}

  /** What the adapter must hear about. */
  interface Listener {
    /** ServerState or ServiceLevel changed. */
    void serverHealthChanged();

    /** A device's nameplate changed; the adapter reports its identity again. */
    void nameplateChanged(String deviceId);

    /** A subscription is gone from the server (timed out, or not transferred): create it again. */
    void subscriptionLost(Group group, String why);
  }

  private final EventSink sink;
  private final Clock clock;
  private final Nameplates nameplates;
  private final Listener listener;
  private final AtomicLong lostMessages = new AtomicLong();
  private final AtomicLong overflows = new AtomicLong();

  private volatile boolean delivering;
  private volatile boolean sessionUp;
  private volatile ServerState serverState = ServerState.Running;
  private volatile int serviceLevel = 255;

  DataRouter(EventSink sink, Clock clock, Nameplates nameplates, Listener listener) {
    this.sink = sink;
    this.clock = clock;
    this.nameplates = nameplates;
    this.listener = listener;
  }

  /** Starts or stops handing anything to the sink; a stopped adapter must deliver nothing. */
  void setDelivering(boolean value) {
    delivering = value;
  }

  void sessionUp(ServerState state, int level) {
    serverState = state;
    serviceLevel = level;
    sessionUp = true;
  }

  void sessionDown() {
    sessionUp = false;
  }

  boolean isSessionUp() {
    return sessionUp;
  }

  /** Session up and server serving data: only then can a device's data count. */
  boolean live() {
    return sessionUp && notServingReason() == null;
  }

  /** Why the server is not serving data, in words; null if it is. */
  String notServingReason() {
    ServerState state = serverState;
    if (state != ServerState.Running) {
      return "server state " + state.name().toUpperCase(Locale.ROOT);
    }
    int level = serviceLevel;
    if (level < MIN_SERVING_LEVEL) {
      return "server ServiceLevel " + level + (level == 0 ? " (maintenance)" : " (no data)");
    }
    return null;
  }

  int serviceLevel() {
    return serviceLevel;
  }

  /** Notification messages the server could not republish after a gap. */
  long lostMessages() {
    return lostMessages.get();
  }

  /** Values the server flagged as overflowed: its queue for the item was full and one was lost. */
  long overflows() {
    return overflows.get();
  }

  /** Applies the server's serving state to every given device. */
  void applyServerHealth(Collection<DeviceLiveness> devices) {
    if (!delivering || !sessionUp) {
      return;
    }
    String reason = notServingReason();
    if (reason == null) {
      devices.forEach(DeviceLiveness::serverRunning);
    } else {
      devices.forEach(d -> d.serverNotRunning(reason));
    }
  }

  static ServerState serverStateOf(DataValue value) {
    Object raw = value.getValue().getValue();
    if (raw instanceof Integer i) {
      ServerState s = ServerState.from(i);
      return s != null ? s : ServerState.Unknown;
    }
    if (raw instanceof ServerState state) {
      return state;
    }
    return value.getStatusCode() != null && value.getStatusCode().isGood()
        ? ServerState.Unknown
        : ServerState.CommunicationFault;
  }

  /** ServiceLevel 0..255; a server without one (Bad_NodeIdUnknown) counts as fully serving. */
  static int serviceLevelOf(DataValue value) {
    Object raw = value.getValue().getValue();
    if (raw instanceof UByte b) {
      return b.intValue();
    }
    if (raw instanceof Number n) {
      return n.intValue() & 0xFF;
    }
    return 255;
  }

  /** One subscription's listener. */
  final class Group implements OpcUaSubscription.SubscriptionListener {

    private final Duration publishingInterval;
    private final List<DeviceLiveness> devices;
    private volatile boolean answering = true;

    Group(Duration publishingInterval, List<DeviceLiveness> devices) {
      this.publishingInterval = publishingInterval;
      this.devices = List.copyOf(devices);
    }

    Duration publishingInterval() {
      return publishingInterval;
    }

    List<DeviceLiveness> devices() {
      return devices;
    }

    /** Whether the server has answered this subscription within its keep-alive watchdog. */
    boolean answering() {
      return answering;
    }

    @Override
    public void onDataReceived(
        OpcUaSubscription subscription, List<OpcUaMonitoredItem> items, List<DataValue> values) {
      answering = true;
      if (!delivering) {
        return;
      }
      Instant now = clock.instant();
      boolean live = live();
      boolean healthChanged = false;
      Set<String> plateChanged = null;
      List<Reading> batch = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        Object binding = items.get(i).getUserObject().orElse(null);
        DataValue value = values.get(i);
        if (binding instanceof TagBinding tag) {
          Reading r = reading(tag, value, now, live);
          if (r != null) {
            batch.add(r);
          }
        } else if (binding instanceof NameplateBinding plate) {
          if (nameplates.update(plate.deviceId(), plate.property(), text(value))) {
            if (plateChanged == null) {
              plateChanged = new LinkedHashSet<>();
            }
            plateChanged.add(plate.deviceId());
          }
        } else if (binding == SERVER_STATE) {
          ServerState state = serverStateOf(value);
          if (state != serverState) {
            serverState = state;
            healthChanged = true;
          }
        } else if (binding == SERVICE_LEVEL) {
          int level = serviceLevelOf(value);
          if (level != serviceLevel) {
            serviceLevel = level;
            healthChanged = true;
          }
        }
      }
      if (!batch.isEmpty()) {
        // One call for the notification message: the gateway stores it with one write.
        sink.readings(batch);
      }
      if (healthChanged) {
        listener.serverHealthChanged();
      }
      if (plateChanged != null) {
        plateChanged.forEach(listener::nameplateChanged);
      }
    }

    @Override
    public void onKeepAliveReceived(OpcUaSubscription subscription) {
      answering = true;
    }

    @Override
    public void onWatchdogTimerElapsed(OpcUaSubscription subscription) {
      if (!answering || !delivering) {
        return;
      }
      answering = false;
      String cause =
          "the server stopped answering the subscription (no data or keep-alive within its"
              + " keep-alive time)";
      log.warn("{}: {}", subscription, cause);
      devices.forEach(d -> d.disconnect(cause));
    }

    @Override
    public void onStatusChanged(OpcUaSubscription subscription, StatusCode status) {
      if (status.getValue() == StatusCodes.Bad_Timeout) {
        listener.subscriptionLost(this, "the server timed the subscription out");
      }
    }

    @Override
    public void onTransferFailed(OpcUaSubscription subscription, StatusCode status) {
      listener.subscriptionLost(
          this,
          "the new session could not take the subscription over (" + Values.name(status) + ")");
    }

    @Override
    public void onNotificationDataLost(OpcUaSubscription subscription) {
      long n = lostMessages.incrementAndGet();
      log.warn(
          "{}: the server could not republish a missed notification message; values were lost"
              + " ({} such message(s) so far)",
          subscription,
          n);
    }

    /** The reading to deliver for a tag's value, or null when the device takes it no further. */
    private Reading reading(TagBinding tag, DataValue value, Instant now, boolean live) {
      StatusCode status = value.getStatusCode();
      if (status != null && status.isOverflowSet()) {
        overflows.incrementAndGet();
      }
      Instant sourceTime = instant(value.getSourceTime());
      Object v = Values.value(value.getValue().getValue());
      if (!tag.device().onValue(tag.index(), status, v, sourceTime, now, live)) {
        return null;
      }
      Quality quality = v == null ? Quality.BAD : Values.quality(status);
      if (!live && quality == Quality.GOOD) {
        quality = Quality.UNCERTAIN;
      }
      return Reading.of(
          tag.device().deviceId(),
          tag.tag(),
          v,
          sourceTime != null ? sourceTime : now,
          now,
          quality);
    }
  }

  /** A nameplate property's text; null when missing, unreadable or blank. */
  static String text(DataValue v) {
    Object raw = v.getValue().getValue();
    if (v.getStatusCode() != null && !v.getStatusCode().isGood() || raw == null) {
      return null;
    }
    String text = raw instanceof LocalizedText lt ? lt.text() : String.valueOf(raw);
    return text == null || text.isBlank() ? null : text;
  }

  private static Instant instant(DateTime time) {
    return time == null || time.isNull() ? null : time.getJavaInstant();
  }
}
