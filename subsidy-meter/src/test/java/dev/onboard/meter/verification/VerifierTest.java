package dev.onboard.meter.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.meter.policy.VerificationParams;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifierTest {
  private static final Instant MARCH_1 = Instant.parse("2024-03-01T00:00:00Z");
  private static final long DAY = 86_400;
  private static final LocalDate AS_OF = LocalDate.of(2024, 12, 31);
  private final Verifier verifier = new Verifier(VerificationParams.DEFAULTS);

  private static EvidenceRow row(Instant start, long days, long online, long good) {
    return new EvidenceRow("d1", start, start.plusSeconds(days * DAY), online, good, 5, 100, true);
  }

  private Verification verify(List<EvidenceRow> rows, LocalDate asOf) {
    return verifier.verify(EvidenceAccumulator.summarize(rows, Duration.ofDays(30)), asOf);
  }

  private static RuleOutcome outcome(Verification v, VerificationRule rule) {
    return v.outcomes().stream().filter(o -> o.rule() == rule).findFirst().orElseThrow();
  }

  @Test
  void verification_3_a_device_online_all_30_days_is_verified_on_the_day_the_window_ends() {
    Verification v = verify(List.of(row(MARCH_1, 30, 30 * DAY, 100)), AS_OF);

    assertThat(v.state()).isEqualTo(Verification.State.VERIFIED);
    // 2024-03-31T00:00Z is 08:00 in Asia/Shanghai.
    assertThat(v.verifiedOn()).isEqualTo(LocalDate.of(2024, 3, 31));
    assertThat(v.onlineRatio()).isEqualByComparingTo("1.0000");
    assertThat(v.outcomes()).allMatch(RuleOutcome::passed);
  }

  @Test
  void verification_3_verified_on_is_the_calendar_date_in_asia_shanghai() {
    // Window ends 2024-03-31T16:30Z = 2024-04-01 00:30 in Shanghai.
    Instant start = Instant.parse("2024-03-01T16:30:00Z");
    Verification v = verify(List.of(row(start, 30, 30 * DAY, 1)), AS_OF);

    assertThat(v.verifiedOn()).isEqualTo(LocalDate.of(2024, 4, 1));
  }

  @Test
  void verification_3_window_starts_at_the_first_row_with_good_samples_not_the_first_row() {
    EvidenceRow silent = row(MARCH_1.minusSeconds(10 * DAY), 10, 0, 0);
    EvidenceRow live = row(MARCH_1, 30, 30 * DAY, 10);

    Verification v = verify(List.of(live, silent), AS_OF);

    assertThat(v.state()).isEqualTo(Verification.State.VERIFIED);
    assertThat(v.verifiedOn()).isEqualTo(LocalDate.of(2024, 3, 31));
  }

  @Test
  void verification_3_an_online_ratio_of_exactly_0_60_passes_and_just_below_fails() {
    long sixtyPercent = 18 * DAY;
    Verification pass = verify(List.of(row(MARCH_1, 30, sixtyPercent, 1)), AS_OF);
    Verification fail = verify(List.of(row(MARCH_1, 30, sixtyPercent - 1, 1)), AS_OF);

    assertThat(pass.state()).isEqualTo(Verification.State.VERIFIED);
    assertThat(fail.state()).isEqualTo(Verification.State.NOT_VERIFIED);
    assertThat(outcome(fail, VerificationRule.ONLINE_RATIO).reason())
        .isEqualTo("online ratio 0.5999 < 0.6 over 30 days (VERIFICATION 3)");
  }

  @Test
  void verification_3_time_not_covered_by_any_row_counts_as_offline() {
    // 15 days fully online, then nothing: ratio 0.5.
    Verification v = verify(List.of(row(MARCH_1, 15, 15 * DAY, 1)), AS_OF);

    assertThat(v.state()).isEqualTo(Verification.State.NOT_VERIFIED);
    assertThat(v.onlineRatio()).isEqualByComparingTo("0.5000");
  }

  @Test
  void verification_3_a_row_straddling_the_window_edge_counts_pro_rata() {
    // 20 days online, then a 20-day row with 10 days online: 10 of its 20 days are inside the
    // window, so 5 days of its online time count. 25 / 30 = 0.8333.
    EvidenceRow first = row(MARCH_1, 20, 20 * DAY, 1);
    EvidenceRow straddling = row(MARCH_1.plusSeconds(20 * DAY), 20, 10 * DAY, 1);

    Verification v = verify(List.of(first, straddling), AS_OF);

    assertThat(v.onlineRatio()).isEqualByComparingTo("0.8333");
    assertThat(v.state()).isEqualTo(Verification.State.VERIFIED);
  }

  @Test
  void verification_3_a_window_not_complete_by_the_end_of_as_of_is_pending() {
    Instant dec15 = Instant.parse("2024-12-15T00:00:00Z");
    Verification v = verify(List.of(row(dec15, 30, 30 * DAY, 1)), AS_OF);

    assertThat(v.state()).isEqualTo(Verification.State.PENDING);
    assertThat(v.failures())
        .containsExactly(
            "observation window ends 2025-01-14, after as-of 2024-12-31 (VERIFICATION 3)");
  }

  @Test
  void verification_3_a_window_ending_exactly_at_the_end_of_as_of_is_complete() {
    // Ends 2024-04-01T00:00 Shanghai = end of as-of 2024-03-31.
    Instant start = Instant.parse("2024-03-01T16:00:00Z");
    Verification v = verify(List.of(row(start, 30, 30 * DAY, 1)), LocalDate.of(2024, 3, 31));

    assertThat(v.state()).isEqualTo(Verification.State.VERIFIED);
  }

  @Test
  void verification_5_a_device_that_never_produced_good_data_is_not_verified() {
    Verification v = verify(List.of(row(MARCH_1, 30, 30 * DAY, 0)), AS_OF);

    assertThat(v.state()).isEqualTo(Verification.State.NOT_VERIFIED);
    assertThat(v.verifiedOn()).isNull();
    assertThat(v.failures()).containsExactly("never produced Good-quality data (VERIFICATION 5)");
  }

  @Test
  void verification_2_data_that_never_arrived_on_the_central_store_is_not_verified() {
    EvidenceRow local =
        new EvidenceRow("d1", MARCH_1, MARCH_1.plusSeconds(30 * DAY), 30 * DAY, 9, 9, 0, false);

    Verification v = verify(List.of(local), AS_OF);

    assertThat(v.state()).isEqualTo(Verification.State.NOT_VERIFIED);
    assertThat(v.failures())
        .containsExactly("no Good data arrived on the central store (VERIFICATION 2)");
  }

  @Test
  void verification_4_values_frozen_for_the_whole_window_are_not_verified() {
    EvidenceRow frozen =
        new EvidenceRow("d1", MARCH_1, MARCH_1.plusSeconds(30 * DAY), 30 * DAY, 9, 0, 0, true);

    Verification v = verify(List.of(frozen), AS_OF);

    assertThat(v.failures())
        .containsExactly("0 value changes in the window, need ≥ 1 (VERIFICATION 4)");
  }

  @Test
  void verification_4_clock_skew_of_5000_ms_passes_and_5001_ms_in_any_window_row_fails() {
    EvidenceRow ok =
        new EvidenceRow("d1", MARCH_1, MARCH_1.plusSeconds(15 * DAY), 15 * DAY, 9, 3, 5000, true);
    EvidenceRow skewed =
        new EvidenceRow(
            "d1",
            MARCH_1.plusSeconds(15 * DAY),
            MARCH_1.plusSeconds(30 * DAY),
            15 * DAY,
            9,
            3,
            5001,
            true);
    EvidenceRow afterWindow =
        new EvidenceRow(
            "d1",
            MARCH_1.plusSeconds(30 * DAY),
            MARCH_1.plusSeconds(31 * DAY),
            0,
            0,
            0,
            99_999,
            true);

    assertThat(verify(List.of(ok, afterWindow), AS_OF).state())
        .isEqualTo(Verification.State.NOT_VERIFIED); // only 15 of 30 days online
    Verification v = verify(List.of(ok, skewed, afterWindow), AS_OF);
    assertThat(v.failures()).containsExactly("max clock skew 5001 ms > 5000 ms (VERIFICATION 4)");
  }

  @Test
  void verification_3_a_window_shorter_than_a_day_is_stated_in_minutes_or_hours() {
    assertThat(Verifier.length(Duration.ofDays(30))).isEqualTo("30 days");
    assertThat(Verifier.length(Duration.ofHours(6))).isEqualTo("6 h");
    assertThat(Verifier.length(Duration.ofMinutes(3))).isEqualTo("3 min");
  }
}
