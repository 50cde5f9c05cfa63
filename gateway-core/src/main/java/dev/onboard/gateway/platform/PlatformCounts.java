package dev.onboard.gateway.platform;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Connected-device counts for the platform operator, across every gateway writing to the store.
 * Immutable.
 *
 * @param asOf when the counts were read
 * @param now per enterprise and protocol: devices reporting, devices online, devices per last state
 * @param overTime per interval and enterprise: devices that were online at some time in it
 */
public record PlatformCounts(Instant asOf, List<Group> now, List<Interval> overTime) {

  /**
   * One enterprise's devices of one protocol, now.
   *
   * @param enterprise the enterprise id
   * @param protocol the protocol
   * @param reporting devices with presence in the last complete minutes (their gateway is up)
   * @param online devices online in the last complete minutes
   * @param byState devices per last reported state (ONLINE, STALE, OFFLINE, UNKNOWN)
   */
  public record Group(
      String enterprise, String protocol, long reporting, long online, Map<String, Long> byState) {}

  /**
   * Devices online in one interval of time.
   *
   * @param start the interval's start
   * @param enterprise the enterprise id
   * @param online devices with any online time in the interval
   */
  public record Interval(Instant start, String enterprise, long online) {}
}
