package dev.onboard.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.testkit.RecordingSink;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a device's clock counts as skewed: time is given by hand, nothing waits. */
class ClockSkewWatchTest {

  private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

  private final RecordingSink sink = new RecordingSink();
  private final ClockSkewWatch watch = new ClockSkewWatch(Duration.ofSeconds(2));

  @Test
  void
      a_clock_ahead_beyond_the_tolerance_is_flagged_once_cleared_when_it_recovers_and_flagged_again() {
    check("press", T0.plusSeconds(30), T0);
    check("press", T0.plusSeconds(31), T0.plusSeconds(1));
    assertThat(flags()).isEqualTo(1);
    assertThat(sink.events(DeviceEvent.Flagged.class).get(0).detail())
        .contains("30.0 s ahead of the gateway clock");

    check("press", T0.plusSeconds(2), T0.plusSeconds(2)); // back on time
    assertThat(sink.events(DeviceEvent.FlagCleared.class))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.flag()).isEqualTo(DeviceEvent.Flag.CLOCK_SKEW);
              assertThat(c.time()).isEqualTo(T0.plusSeconds(2));
            });
    check("press", T0.plusSeconds(40), T0.plusSeconds(3));
    assertThat(flags()).isEqualTo(2);
  }

  @Test
  void a_clock_back_within_the_tolerance_but_not_within_half_of_it_stays_flagged() {
    check("press", T0.plusSeconds(30), T0);
    check("press", T0.plusMillis(1_500), T0); // 1.5 s: inside 2 s, outside the 1 s margin
    assertThat(sink.events(DeviceEvent.FlagCleared.class)).isEmpty();
    check("press", T0.plusMillis(1_000), T0);
    assertThat(sink.events(DeviceEvent.FlagCleared.class)).hasSize(1);
  }

  @Test
  void a_stale_resend_of_a_dead_devices_last_value_neither_flags_nor_clears() {
    check("press", T0.plusSeconds(30), T0);
    watch.check(Reading.of("press", "t", 1.0, T0, T0, Quality.STALE), sink);
    assertThat(sink.events(DeviceEvent.FlagCleared.class)).isEmpty();
    watch.check(Reading.of("oven", "t", 1.0, T0.plusSeconds(60), T0, Quality.STALE), sink);
    assertThat(flags()).isEqualTo(1);
  }

  @Test
  void within_the_tolerance_nothing_is_flagged() {
    check("press", T0.plusMillis(1999), T0);
    check("press", T0.minusMillis(1999), T0);
    assertThat(flags()).isZero();
  }

  @Test
  void late_messages_of_a_reconnect_backlog_are_not_skew_but_early_ones_are() {
    watch.connected(T0, Duration.ofSeconds(10));
    check("press", T0.minusSeconds(600), T0.plusSeconds(1)); // waited at the broker
    assertThat(flags()).isZero();
    check("oven", T0.plusSeconds(60), T0.plusSeconds(1)); // from the future: always skew
    assertThat(flags()).isEqualTo(1);

    check("press", T0.minusSeconds(600), T0.plusSeconds(11)); // backlog over: now it counts
    assertThat(flags()).isEqualTo(2);
  }

  @Test
  void a_skew_just_past_the_tolerance_by_a_nanosecond_is_flagged_and_its_size_printed_in_seconds() {
    check("press", T0.plusSeconds(2), T0);
    assertThat(flags()).isZero();
    check("press", T0.minusNanos(2_000_000_001L), T0);
    assertThat(sink.events(DeviceEvent.Flagged.class).get(0).detail())
        .contains("2.0 s behind the gateway clock");
  }

  @Test
  void source_times_centuries_or_millennia_away_are_skew_not_an_overflow() {
    check("press", Instant.parse("9999-12-31T23:59:59Z"), T0);
    check("oven", Instant.EPOCH.minusSeconds(20_000_000_000L), T0);
    assertThat(flags()).isEqualTo(2);
    assertThat(sink.events(DeviceEvent.Flagged.class))
        .extracting(DeviceEvent.Flagged::detail)
        .anySatisfy(d -> assertThat(d).contains("ahead of"))
        .anySatisfy(d -> assertThat(d).contains("behind"));
  }

  @Test
  void historical_readings_are_never_judged() {
    watch.check(
        new Reading("press", "t", 1.0, T0.minusSeconds(3600), T0, Quality.GOOD, true), sink);
    assertThat(flags()).isZero();
  }

  private void check(String device, Instant source, Instant received) {
    watch.check(Reading.of(device, "t", 1.0, source, received, Quality.GOOD), sink);
  }

  private long flags() {
    return sink.events(DeviceEvent.Flagged.class).stream()
        .filter(f -> f.flag() == DeviceEvent.Flag.CLOCK_SKEW)
        .count();
  }
}
