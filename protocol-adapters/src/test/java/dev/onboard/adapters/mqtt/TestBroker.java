package dev.onboard.adapters.mqtt;

import dev.onboard.simulator.mqtt.EmbeddedBroker;

/** A broker a scenario runs against: Debian's Mosquitto or the simulator's embedded one. */
interface TestBroker extends AutoCloseable {

  String url();

  /** The MQTT version the adapter speaks to it: "5" or "3.1.1". */
  String version();

  /** Starts, or starts again on the same port after {@link #stop()}. */
  void start() throws Exception;

  /** Stops at once, as a power cut would; sessions kept in memory are lost. */
  void stop() throws Exception;

  @Override
  void close();

  static TestBroker mosquitto() throws Exception {
    Mosquitto m = new Mosquitto();
    return new TestBroker() {
      @Override
      public String url() {
        return m.url();
      }

      @Override
      public String version() {
        return "5";
      }

      @Override
      public void start() throws Exception {
        m.start();
      }

      @Override
      public void stop() {
        m.stop();
      }

      @Override
      public void close() {
        m.close();
      }

      @Override
      public String toString() {
        return "Mosquitto " + m.url();
      }
    };
  }

  /** Moquette speaks MQTT 3.1.1 only. */
  static TestBroker embedded() {
    EmbeddedBroker b = new EmbeddedBroker();
    return new TestBroker() {
      @Override
      public String url() {
        return b.url();
      }

      @Override
      public String version() {
        return "3.1.1";
      }

      @Override
      public void start() {
        b.start().join();
      }

      @Override
      public void stop() {
        b.stop().join();
      }

      @Override
      public void close() {
        b.close();
      }

      @Override
      public String toString() {
        return "embedded broker " + b.url();
      }
    };
  }
}
