package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.SourceStatus.State;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * {@link BrokerClient} over MQTT 3.1.1 (Paho {@code mqttv3}), for brokers such as Moquette that do
 * not speak MQTT 5. {@code cleanStart: false} maps to {@code cleanSession=false}. Thread-safe.
 */
final class PahoV3Client implements BrokerClient {

  private static final long WAIT_MS = 10_000;

  private final MqttSourceConfig config;
  private final MqttAsyncClient client;
  private final MqttConnectOptions options;

  PahoV3Client(
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
            new ScheduledExecutorPingSender(executor),
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
      int[] granted = token.getGrantedQos();
      for (int i = 0; granted != null && i < granted.length && i < filters.length; i++) {
        if (granted[i] == 0x80) {
          throw new ConnectFailure(
              State.AUTH_FAILED, "broker refused subscription to " + filters[i], null);
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
      options.setWill(will.topic(), will.payload(), will.qos(), will.retained());
    }
  }

  private static MqttConnectOptions options(MqttSourceConfig c, SocketFactory socketFactory) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(c.cleanStart());
    o.setKeepAliveInterval((int) c.keepAlive().toSeconds());
    o.setConnectionTimeout(10);
    o.setAutomaticReconnect(false);
    o.setMaxInflight(1000);
    if (c.username() != null) {
      o.setUserName(c.username());
    }
    if (c.password() != null) {
      o.setPassword(c.password().reveal().toCharArray());
    }
    if (socketFactory != null) {
      o.setSocketFactory(socketFactory);
    }
    return o;
  }

  private ConnectFailure failure(MqttException e, String what) {
    int code = e.getReasonCode();
    String detail = what + " failed: " + PahoErrors.describe(e.getMessage(), code, e.getCause());
    if (code == MqttException.REASON_CODE_FAILED_AUTHENTICATION
        || code == MqttException.REASON_CODE_NOT_AUTHORIZED) {
      return new ConnectFailure(State.AUTH_FAILED, detail, e);
    }
    return new ConnectFailure(State.UNREACHABLE, detail, e);
  }

  private static final class Callback implements MqttCallback {
    private final Handler handler;

    Callback(Handler handler) {
      this.handler = handler;
    }

    @Override
    public void connectionLost(Throwable cause) {
      handler.connectionLost(
          cause instanceof MqttException m
              ? PahoErrors.describe(m.getMessage(), m.getReasonCode(), m.getCause())
              : String.valueOf(cause));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      handler.message(topic, message.getPayload(), message.isRetained(), message.isDuplicate());
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }
}
