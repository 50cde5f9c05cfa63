package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.SourceStatus.State;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.TimerPingSender;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * {@link BrokerClient} over MQTT 5 (Paho {@code mqttv5}). Session expiry keeps a persistent session
 * when {@code cleanStart} is false. Thread-safe.
 */
final class PahoV5Client implements BrokerClient {

  private static final long WAIT_MS = 10_000;
  // How many QoS 1/2 messages the broker may send before the first is acknowledged. Without it
  // Mosquitto allows its max_inflight_messages (20): at 20 per acknowledgement round trip, a busy
  // machine's millisecond or two caps the rate near 10,000 messages/s however fast the gateway is.
  // Messages are acknowledged only after they reached the pipeline, so none is lost by a wider
  // window; at most this many are redelivered after a dropped connection.
  static final int RECEIVE_MAXIMUM = 1_000;

  private final MqttSourceConfig config;
  private final MqttAsyncClient client;
  private final MqttConnectionOptions options;

  PahoV5Client(
      MqttSourceConfig config,
      SocketFactory socketFactory,
      ScheduledExecutorService executor,
      Handler handler)
      throws MqttException {
    this.config = config;
    this.client =
        new MqttAsyncClient(
            config.broker(),
            config.clientId(),
            new MemoryPersistence(),
            new TimerPingSender(executor),
            executor);
    this.options = options(config, socketFactory);
    client.setCallback(new Callback(handler));
  }

  @Override
  public void connect(Will will) throws ConnectFailure {
    try {
      setWill(will);
      client.connect(options).waitForCompletion(WAIT_MS);
    } catch (MqttException e) {
      throw failure(e, "connect to " + config.broker());
    }
  }

  @Override
  public void subscribe(String[] filters, int qos) throws ConnectFailure {
    int[] qoses = new int[filters.length];
    Arrays.fill(qoses, qos);
    try {
      IMqttToken token = client.subscribe(filters, qoses);
      token.waitForCompletion(WAIT_MS);
      int[] codes = token.getReasonCodes();
      for (int i = 0; codes != null && i < codes.length && i < filters.length; i++) {
        if (codes[i] >= 0x80) {
          throw new ConnectFailure(
              codes[i] == 0x87 ? State.AUTH_FAILED : State.UNREACHABLE,
              "broker refused subscription to " + filters[i] + " (reason code " + codes[i] + ")",
              null);
        }
      }
    } catch (MqttException e) {
      throw failure(e, "subscribe");
    }
  }

  @Override
  public void publish(String topic, byte[] payload, int qos, boolean retained)
      throws ConnectFailure {
    try {
      client.publish(topic, payload, qos, retained);
    } catch (MqttException e) {
      throw failure(e, "publish to " + topic);
    }
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(2_000).waitForCompletion(3_000);
      }
    } catch (MqttException e) {
      // Already gone: closing below is all that is left to do.
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      // close(force) only fails when already closed.
    }
  }

  private void setWill(Will will) {
    if (will != null) {
      options.setWill(
          will.topic(), new MqttMessage(will.payload(), will.qos(), will.retained(), null));
    }
  }

  private static MqttConnectionOptions options(MqttSourceConfig c, SocketFactory socketFactory) {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(c.cleanStart());
    o.setSessionExpiryInterval(c.cleanStart() ? 0L : c.sessionExpiry().toSeconds());
    o.setKeepAliveInterval((int) c.keepAlive().toSeconds());
    o.setConnectionTimeout(10);
    o.setAutomaticReconnect(false);
    o.setReceiveMaximum(RECEIVE_MAXIMUM);
    if (c.username() != null) {
      o.setUserName(c.username());
    }
    if (c.password() != null) {
      o.setPassword(c.password().reveal().getBytes(StandardCharsets.UTF_8));
    }
    if (socketFactory != null) {
      o.setSocketFactory(socketFactory);
    }
    return o;
  }

  private ConnectFailure failure(MqttException e, String what) {
    int code = e.getReasonCode();
    String detail = what + " failed: " + PahoErrors.describe(e.getMessage(), code, e.getCause());
    if (code == 0x86 || code == 0x87 || code == 0x8C) {
      return new ConnectFailure(State.AUTH_FAILED, detail, e);
    }
    if (code == 0x84) {
      return new ConnectFailure(
          State.UNREACHABLE,
          detail + "; the broker does not speak MQTT 5, set version: \"3.1.1\"",
          e);
    }
    return new ConnectFailure(State.UNREACHABLE, detail, e);
  }

  private static final class Callback implements MqttCallback {
    private final Handler handler;

    Callback(Handler handler) {
      this.handler = handler;
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      String cause =
          response.getException() != null
              ? PahoErrors.describe(
                  response.getException().getMessage(),
                  response.getException().getReasonCode(),
                  response.getException().getCause())
              : "broker sent DISCONNECT (reason code " + response.getReturnCode() + ")";
      handler.connectionLost(cause);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      handler.connectionLost("protocol error: " + exception.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      handler.message(topic, message.getPayload(), message.isRetained(), message.isDuplicate());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
