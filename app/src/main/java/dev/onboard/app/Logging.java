package dev.onboard.app;

import org.slf4j.bridge.SLF4JBridgeHandler;

/** Sets up logging once, before the first logger is created. */
final class Logging {

  private Logging() {}

  static synchronized void configure() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "onboard-logback.xml");
    }
    // Paho's MQTT 5 client and Milo's dependencies log through java.util.logging.
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
