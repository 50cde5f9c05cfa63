package dev.onboard.adapters.mqtt;

import dev.onboard.gateway.spi.SourceStatus;

/**
 * The adapter's one connection to its broker, whatever the MQTT version. Implementations never
 * reconnect by themselves: {@link MqttAdapter} owns reconnecting.
 *
 * <p>Thread-safety: implementations are safe from any thread; {@link Handler} is called on Paho's
 * callback thread.
 */
interface BrokerClient {

  /** Receives what the connection delivers. */
  interface Handler {
    /**
     * @param duplicate the broker marked it a redelivery (MQTT DUP): it may have been seen before
     */
    void message(String topic, byte[] payload, boolean retained, boolean duplicate);

    void connectionLost(String cause);
  }

  /** A message the broker publishes for the gateway if its connection drops without DISCONNECT. */
  record Will(String topic, byte[] payload, int qos, boolean retained) {}

  /** Connects, waiting at most the connect timeout; {@code will} may be null. */
  void connect(Will will) throws ConnectFailure;

  /** Subscribes to every filter at {@code qos}, waiting for the broker's answer. */
  void subscribe(String[] filters, int qos) throws ConnectFailure;

  /** Publishes, without waiting for the broker. */
  void publish(String topic, byte[] payload, int qos, boolean retained) throws ConnectFailure;

  /** Disconnects cleanly if connected (so the broker keeps a persistent session) and closes. */
  void close();

  /** Why a connect or subscribe failed, as the source status to show. */
  final class ConnectFailure extends Exception {
    private final SourceStatus.State state;

    ConnectFailure(SourceStatus.State state, String detail, Throwable cause) {
      super(detail, cause);
      this.state = state;
    }

    SourceStatus.State state() {
      return state;
    }
  }
}
