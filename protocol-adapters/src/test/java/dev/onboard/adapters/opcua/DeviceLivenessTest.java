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

  private static final Duration TICK = Duration.ofSeconds(1);

  private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T08:00:00Z"));
  private final RecordingSink sink = new RecordingSink();
  private final DeviceLiveness device =
      new DeviceLiveness(
          "cnc-1",
          sink,
          clock,
          Duration.ofSeconds(2),
          Duration.ofMillis(750),
          Duration.ofSeconds(30));
  private double next = 1;

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
    device.onValue(0, StatusCode.GOOD, 1.0, clock.instant(), clock.instant(), false);
    assertThat(sink.events(DeviceEvent.Connected.class)).isEmpty();
  }

  @Test
  void a_value_repeated_with_the_same_source_time_is_not_delivered_again() {
    Instant t = clock.instant();
    assertThat(device.onValue(0, StatusCode.GOOD, 5.0, t, t, true)).isTrue();
    clock.advance(Duration.ofSeconds(3));
    // A re-created subscription sends the current value again.
    assertThat(device.onValue(0, StatusCode.GOOD, 5.0, t, clock.instant(), true)).isFalse();
    // The same value measured again later is new.
    assertThat(device.onValue(0, StatusCode.GOOD, 5.0, clock.instant(), clock.instant(), true))
        .isTrue();
  }

  @Test
  void a_notification_message_delivered_twice_is_recognised_value_by_value() {
    Instant t = clock.instant();
    assertThat(device.onValue(0, StatusCode.GOOD, 1.0, t, t, true)).isTrue();
    assertThat(device.onValue(0, StatusCode.GOOD, 2.0, t.plusMillis(25), t, true)).isTrue();
    // Milo delivers the same message again after its responses overtook each other.
    assertThat(device.onValue(0, StatusCode.GOOD, 1.0, t, t, true)).isFalse();
    assertThat(device.onValue(0, StatusCode.GOOD, 2.0, t.plusMillis(25), t, true)).isFalse();
    // A value that is merely late is still new.
    assertThat(device.onValue(0, StatusCode.GOOD, 0.5, t.minusMillis(25), t, true)).isTrue();
  }

  @Test
  void no_communication_disconnects_with_the_status_in_words() {
    good(0);
    device.onValue(
        1,
        new StatusCode(StatusCodes.Bad_NoCommunication),
        null,
        clock.instant(),
        clock.instant(),
        true);
    assertThat(sink.events(DeviceEvent.Disconnected.class))
        .singleElement()
        .satisfies(d -> assertThat(d.cause()).contains("FeedRate").contains("Bad_NoCommunication"));
    assertThat(device.connected()).isFalse();
  }

  @Test
  void a_bad_measurement_is_flagged_once_without_disconnecting() {
    good(0);
    StatusCode sensor = new StatusCode(StatusCodes.Bad_SensorFailure);
    device.onValue(1, sensor, 3.0, clock.instant(), clock.instant(), true);
    device.onValue(1, sensor, 4.0, clock.instant(), clock.instant(), true);
    assertThat(sink.events(DeviceEvent.Flagged.class))
        .singleElement()
        .satisfies(f -> assertThat(f.flag()).isEqualTo(DeviceEvent.Flag.BAD_QUALITY));
    assertThat(device.connected()).isTrue();
  }

  @Test
  void bad_quality_clears_once_every_tag_has_stayed_good_for_the_hold_time() {
    good(0);
    bad(1);
    clock.advance(Duration.ofSeconds(1));
    good(1);
    assertThat(sink.events(DeviceEvent.FlagCleared.class)).as("Good for 1 s only").isEmpty();
    clock.advance(DeviceLiveness.QUALITY_HOLD.minusSeconds(1));
    good(0);
    good(1);
    assertClearedOnceNow(DeviceEvent.Flag.BAD_QUALITY, "every tag has reported Good for 5.0 s");
  }

  @Test
  void a_flickering_sensor_stays_flagged_instead_of_raising_and_clearing_by_turns() {
    good(0);
    for (int i = 0; i < 20; i++) {
      bad(1);
      clock.advance(Duration.ofMillis(500));
      good(1);
      clock.advance(Duration.ofMillis(500));
    }
    assertThat(sink.events(DeviceEvent.Flagged.class)).hasSize(1);
    assertThat(sink.events(DeviceEvent.FlagCleared.class)).isEmpty();
  }

  @Test
  void a_quiet_device_whose_tags_stayed_good_is_cleared_by_the_tick() {
    good(0);
    bad(1);
    clock.advance(Duration.ofMillis(100));
    good(1);
    clock.advance(DeviceLiveness.QUALITY_HOLD);
    device.aliveTick(clock.instant(), TICK);
    assertThat(sink.events(DeviceEvent.FlagCleared.class)).hasSize(1);
  }

  /** The only FlagCleared so far clears {@code flag} at the clock's instant, saying {@code why}. */
  private void assertClearedOnceNow(DeviceEvent.Flag flag, String why) {
    assertThat(sink.events(DeviceEvent.FlagCleared.class))
        .singleElement()
        .isEqualTo(new DeviceEvent.FlagCleared("cnc-1", clock.instant(), flag, why));
  }

  private void bad(int index) {
    device.onValue(
        index,
        new StatusCode(StatusCodes.Bad_SensorFailure),
        next++,
        clock.instant(),
        clock.instant(),
        true);
  }

  @Test
  void a_clock_ahead_that_comes_back_within_tolerance_clears_the_skew_flag_once() {
    Instant now = clock.instant();
    device.onValue(0, StatusCode.GOOD, 1.0, now.plusSeconds(30), now, true);
    clock.advance(Duration.ofSeconds(1));
    device.onValue(0, StatusCode.GOOD, 2.0, clock.instant().plusSeconds(29), clock.instant(), true);
    clock.advance(Duration.ofSeconds(1));
    // Within the 2 s tolerance but not within half of it: a clock at the limit stays flagged.
    device.onValue(
        0, StatusCode.GOOD, 2.5, clock.instant().plusMillis(1_500), clock.instant(), true);
    assertThat(sink.events(DeviceEvent.FlagCleared.class)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    device.onValue(0, StatusCode.GOOD, 3.0, clock.instant().plusMillis(300), clock.instant(), true);
    device.onValue(1, StatusCode.GOOD, 4.0, clock.instant().plusMillis(200), clock.instant(), true);
    assertThat(sink.events(DeviceEvent.FlagCleared.class))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.flag()).isEqualTo(DeviceEvent.Flag.CLOCK_SKEW);
              assertThat(c.detail()).contains("within tolerance again").contains("0.3 s ahead");
            });
    assertThat(sink.events(DeviceEvent.Flagged.class)).hasSize(1);
  }

  @Test
  void a_clock_behind_that_catches_up_clears_the_skew_flag_at_the_end_of_a_window() {
    received(0, -60_000);
    received(0, -20_000);
    received(6, -20_000);
    assertThat(sink.events(DeviceEvent.Flagged.class)).hasSize(1);
    // The clock is fixed: values now lag only by the server's queueing.
    received(7, -100);
    assertThat(sink.events(DeviceEvent.FlagCleared.class)).as("the window is not over").isEmpty();
    received(12, -200);
    assertThat(sink.events(DeviceEvent.FlagCleared.class))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("0.1 s behind"));
  }

  /**
   * A new SpindleSpeed value received {@code atSecond} s after the clock's instant, its source time
   * {@code skewMillis} off the receive time.
   */
  private void received(int atSecond, long skewMillis) {
    Instant at = clock.instant().plusSeconds(atSecond);
    device.onValue(0, StatusCode.GOOD, next++, at.plusMillis(skewMillis), at, true);
  }

  @Test
  void a_clock_ahead_beyond_tolerance_is_flagged_and_kept() {
    Instant now = clock.instant();
    device.onValue(0, StatusCode.GOOD, 1.0, now.plusSeconds(30), now, true);
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
  void a_clock_behind_is_judged_on_the_least_late_value_of_a_window_and_not_on_the_first() {
    Instant t = clock.instant();
    // The first value after subscribing is the current one, however old: no verdict.
    device.onValue(0, StatusCode.GOOD, 1.0, t.minusSeconds(600), t, true);
    // A busy gateway: most values late by 4 s, but one only by 2.5 s, within 2 s tolerance
    // plus 0.75 s of sampling and publishing delay. Delay, not a wrong clock.
    device.onValue(0, StatusCode.GOOD, 2.0, t.minusSeconds(4), t, true);
    device.onValue(
        0, StatusCode.GOOD, 3.0, t.plusSeconds(1).minusMillis(2_500), t.plusSeconds(1), true);
    device.onValue(
        0, StatusCode.GOOD, 4.0, t.plusSeconds(2).minusSeconds(4), t.plusSeconds(2), true);
    device.onValue(
        0, StatusCode.GOOD, 5.0, t.plusSeconds(6).minusMillis(10_300), t.plusSeconds(6), true);
    assertThat(sink.events(DeviceEvent.Flagged.class)).isEmpty();
    // A clock 10 s behind: every value of the window is late by more than 10 s.
    device.onValue(
        0, StatusCode.GOOD, 6.0, t.plusSeconds(8).minusMillis(10_200), t.plusSeconds(8), true);
    device.onValue(
        0, StatusCode.GOOD, 7.0, t.plusSeconds(12).minusMillis(10_100), t.plusSeconds(12), true);
    assertThat(sink.events(DeviceEvent.Flagged.class))
        .singleElement()
        .satisfies(f -> assertThat(f.detail()).contains("10.2 s behind"));
  }

  @Test
  void a_quiet_device_with_good_values_is_confirmed_alive_by_the_tick() {
    good(0);
    device.aliveTick(clock.instant(), TICK);
    assertThat(sink.events(DeviceEvent.Alive.class)).as("FeedRate not known yet").isEmpty();
    good(1);
    clock.advance(Duration.ofSeconds(2));
    device.aliveTick(clock.instant(), TICK);
    assertThat(sink.events(DeviceEvent.Alive.class)).hasSize(1);
  }

  @Test
  void a_device_whose_values_stop_changing_is_flagged_frozen_once_and_no_longer_kept_alive() {
    good(0);
    good(1);
    clock.advance(Duration.ofSeconds(20));
    device.aliveTick(clock.instant(), TICK);
    assertThat(sink.events(DeviceEvent.Alive.class)).hasSize(1);
    clock.advance(Duration.ofSeconds(11));
    device.aliveTick(clock.instant(), TICK);
    device.aliveTick(clock.instant(), TICK);
    assertThat(sink.events(DeviceEvent.Alive.class)).hasSize(1);
    assertThat(sink.events(DeviceEvent.Flagged.class))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.flag()).isEqualTo(DeviceEvent.Flag.FROZEN_VALUES);
              assertThat(f.detail()).contains("31.0 s").contains("frozenAfter 30.0 s");
            });
    assertThat(device.frozen()).isTrue();

    clock.advance(Duration.ofSeconds(4));
    good(0);
    assertThat(device.frozen()).isFalse();
    assertClearedOnceNow(DeviceEvent.Flag.FROZEN_VALUES, "SpindleSpeed changed again");
    good(1);
    assertThat(sink.events(DeviceEvent.FlagCleared.class)).hasSize(1);
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
    device.serverRunning();
    assertThat(sink.events(DeviceEvent.Connected.class)).hasSize(2);
    assertThat(sink.events(DeviceEvent.FlagCleared.class))
        .singleElement()
        .satisfies(c -> assertThat(c.flag()).isEqualTo(DeviceEvent.Flag.SERVER_NOT_RUNNING));
  }

  private void good(int index) {
    device.onValue(index, StatusCode.GOOD, next++, clock.instant(), clock.instant(), true);
  }
}
