package dev.onboard.adapters.opcua;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The DI nameplate each device shows now (Manufacturer, SerialNumber, Model, ProductInstanceUri),
 * missing and blank properties left out.
 *
 * <p>Thread-safety: synchronized; written by the session thread (after a read) and Milo's delivery
 * thread (when a monitored property changes).
 */
final class Nameplates {

  private final Map<String, Map<String, String>> byDevice = new HashMap<>();

  /** Replaces a device's nameplate with what was just read. */
  synchronized void replace(String deviceId, Map<String, String> plate) {
    byDevice.put(deviceId, new HashMap<>(plate));
  }

  /**
   * Records one property's current text (null if missing).
   *
   * @return whether it differs from what the device showed before
   */
  synchronized boolean update(String deviceId, String property, String text) {
    Map<String, String> plate = byDevice.computeIfAbsent(deviceId, k -> new HashMap<>());
    String before = text == null ? plate.remove(property) : plate.put(property, text);
    return !Objects.equals(before, text);
  }

  synchronized Map<String, String> get(String deviceId) {
    return Map.copyOf(byDevice.getOrDefault(deviceId, Map.of()));
  }
}
