package dev.onboard.gateway.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SkewTest {

  private static final Instant T0 = Instant.parse("2026-12-02T05:00:00Z");

  @Test
  void the_time_between_two_instants_is_exact_to_the_nanosecond_and_signed() {
    assertThat(Skew.nanosBetween(T0, T0.plusNanos(2_000_000_001L))).isEqualTo(2_000_000_001L);
    assertThat(Skew.nanosBetween(T0, T0.minusNanos(1))).isEqualTo(-1L);
    assertThat(Skew.nanosBetween(T0.plusMillis(5), T0)).isEqualTo(-5_000_000L);
  }

  @Test
  void a_source_time_from_another_millennium_is_held_at_a_hundred_years_either_way() {
    assertThat(Skew.nanosBetween(T0, Instant.parse("9999-12-31T23:59:59Z")))
        .isEqualTo(Skew.LIMIT_NANOS);
    assertThat(Skew.nanosBetween(T0, Instant.EPOCH.minusSeconds(20_000_000_000L)))
        .isEqualTo(-Skew.LIMIT_NANOS);
    assertThat(Math.negateExact(Skew.nanosBetween(T0, Instant.MIN))).isEqualTo(Skew.LIMIT_NANOS);
  }
}
