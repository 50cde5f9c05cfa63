package dev.onboard.adapters.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.testkit.MovableClock;
import dev.onboard.gateway.testkit.RecordingSink;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.junit.jupiter.api.Test;

class DeviceLivenessTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T08:00:00Z"));
  private final RecordingSink sink = new RecordingSink();
  private final DeviceLiveness device =
      new DeviceLiveness("cnc-1", sink, clock, Duration.ofSeconds(2));

  {
    device.bindTags(new String[] {"SpindleSpeed", "FeedRate"});
  }

  @Test
  void the_first_good_value_with_the_session_up_connects_the_device_once() {
    good(0);
    good(1);
    good(0);
    assertThat(sink.events(DeviceEvent.Connected.class)).hasSize(1);
  }

  @Test
  void values_while_the_server_is_not_running_do_not_connect() {
    device.onValue(0, StatusCode.GOOD, clock.instant(), clock.instant(), false);
    assertThat(sink.events(DeviceEvent.Connected.class)).isEmpty();
  }

  @Test
  void no_communication_disconnects_with_the_status_in_words() {
    good(0);
    device.onValue(
        1, new StatusCode(StatusCodes.Bad_NoCommunication), clock.instant(), clock.instant(), true);
    assertThat(sink.events(DeviceEvent.Disconnected.class))
        .singleElement()
        .satisfies(d -> assertThat(d.cause()).contains("FeedRate").contains("Bad_NoCommunication"));
    assertThat(device.connected()).isFalse();
  }

  @Test
  void a_bad_measurement_is_flagged_once_without_disconnecting() {
    good(0);
    StatusCode sensor = new StatusCode(StatusCodes.Bad_SensorFailure);
    device.onValue(1, sensor, clock.instant(), clock.instant(), true);
    device.onValue(1, sensor, clock.instant(), clock.instant(), true);
    assertThat(sink.events(DeviceEvent.Flagged.class))
        .singleElement()
        .satisfies(f -> assertThat(f.flag()).isEqualTo(DeviceEvent.Flag.BAD_QUALITY));
    assertThat(device.connected()).isTrue();
  }

  @Test
  void a_clock_ahead_beyond_tolerance_is_flagged_and_kept() {
    Instant now = clock.instant();
    device.onValue(0, StatusCode.GOOD, now.plusSeconds(30), now, true);
    assertThat(sink.events(DeviceEvent.Flagged.class))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.flag()).isEqualTo(DeviceEvent.Flag.CLOCK_SKEW);
              assertThat(f.detail()).contains("30.0 s ahead");
            });
    assertThat(device.skew()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void keep_alive_confirms_a_device_only_when_all_its_last_values_are_good() {
    good(0);
    device.onKeepAlive();
    assertThat(sink.events(DeviceEvent.Alive.class)).isEmpty();
    good(1);
    device.onKeepAlive();
    assertThat(sink.events(DeviceEvent.Alive.class)).hasSize(1);
  }

  @Test
  void a_server_leaving_running_disconnects_and_flags_and_running_again_reconnects() {
    good(0);
    good(1);
    device.serverNotRunning("server state TEST");
    assertThat(sink.events(DeviceEvent.Disconnected.class))
        .singleElement()
        .satisfies(d -> assertThat(d.cause()).isEqualTo("server state TEST"));
    assertThat(sink.events(DeviceEvent.Flagged.class)).hasSize(1);
    device.serverRunning();
    assertThat(sink.events(DeviceEvent.Connected.class)).hasSize(2);
  }

  private void good(int index) {
    device.onValue(index, StatusCode.GOOD, clock.instant(), clock.instant(), true);
  }
}
