package dev.onboard.adapters.opcua;

import dev.onboard.gateway.spi.EventSink;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ServerState;

/**
 * Turns subscription notifications into readings and liveness events. Each monitored item carries
 * its {@link TagBinding} (or {@link #SERVER_STATE}) as user object, so routing costs no lookup.
 *
 * <p>While the session is down or the server is not RUNNING, readings still flow (they are what the
 * equipment said) but with at most {@link Quality#UNCERTAIN}, so nothing downstream counts them as
 * live time.
 *
 * <p>Thread-safety: notifications arrive on Milo's delivery thread; the state flags are volatile
 * and set from the adapter's session thread.
 */
final class DataRouter implements OpcUaSubscription.SubscriptionListener {

  /** The user object of the ServerStatus.State item. */
  static final Object SERVER_STATE = new Object();

  /** Where a monitored item's values go. */
  record TagBinding(DeviceLiveness device, int index, String tag) {}

  private final EventSink sink;
  private final Clock clock;
  private final Collection<DeviceLiveness> devices;
  private final Consumer<ServerState> onServerState;
  private final Runnable onTransferFailed;

  private volatile boolean delivering;
  private volatile boolean sessionUp;
  private volatile ServerState serverState = ServerState.Running;

  DataRouter(
      EventSink sink,
      Clock clock,
      Collection<DeviceLiveness> devices,
      Consumer<ServerState> onServerState,
      Runnable onTransferFailed) {
    this.sink = sink;
    this.clock = clock;
    this.devices = devices;
    this.onServerState = onServerState;
    this.onTransferFailed = onTransferFailed;
  }

  /** Starts or stops handing anything to the sink; a stopped adapter must deliver nothing. */
  void setDelivering(boolean value) {
    delivering = value;
  }

  void sessionUp(ServerState state) {
    serverState = state;
    sessionUp = true;
  }

  void sessionDown(String cause) {
    sessionUp = false;
    if (delivering) {
      devices.forEach(d -> d.disconnect(cause));
    }
  }

  ServerState serverState() {
    return serverState;
  }

  boolean live() {
    return sessionUp && serverState == ServerState.Running;
  }

  /** Applies a new server state to every device. */
  void applyServerState(ServerState state) {
    serverState = state;
    if (!delivering || !sessionUp) {
      return;
    }
    if (state == ServerState.Running) {
      devices.forEach(DeviceLiveness::serverRunning);
    } else {
      String cause = "server state " + state.name().toUpperCase(java.util.Locale.ROOT);
      devices.forEach(d -> d.serverNotRunning(cause));
    }
  }

  @Override
  public void onDataReceived(
      OpcUaSubscription subscription, List<OpcUaMonitoredItem> items, List<DataValue> values) {
    if (!delivering) {
      return;
    }
    Instant now = clock.instant();
    boolean live = live();
    for (int i = 0; i < items.size(); i++) {
      Object binding = items.get(i).getUserObject().orElse(null);
      DataValue value = values.get(i);
      if (binding == SERVER_STATE) {
        ServerState state = serverStateOf(value);
        if (state != serverState) {
          onServerState.accept(state);
        }
      } else if (binding instanceof TagBinding tag) {
        deliver(tag, value, now, live);
      }
    }
  }

  private void deliver(TagBinding tag, DataValue value, Instant now, boolean live) {
    StatusCode status = value.getStatusCode();
    Instant sourceTime = instant(value.getSourceTime());
    Object v = Values.value(value.getValue().getValue());
    Quality quality = v == null ? Quality.BAD : Values.quality(status);
    if (!live && quality == Quality.GOOD) {
      quality = Quality.UNCERTAIN;
    }
    sink.reading(
        Reading.of(
            tag.device().deviceId(),
            tag.tag(),
            v,
            sourceTime != null ? sourceTime : now,
            now,
            quality));
    tag.device().onValue(tag.index(), status, sourceTime, now, live);
  }

  @Override
  public void onKeepAliveReceived(OpcUaSubscription subscription) {
    if (delivering && live()) {
      devices.forEach(DeviceLiveness::onKeepAlive);
    }
  }

  @Override
  public void onTransferFailed(OpcUaSubscription subscription, StatusCode status) {
    onTransferFailed.run();
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

  private static Instant instant(DateTime time) {
    return time == null || time.isNull() ? null : time.getJavaInstant();
  }
}
