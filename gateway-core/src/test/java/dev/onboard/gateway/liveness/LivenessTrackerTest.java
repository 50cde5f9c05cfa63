package dev.onboard.gateway.liveness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onboard.gateway.config.LivenessTimeouts;
import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.DeviceIdentity;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.testkit.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LivenessTrackerTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final List<StateChange> changes = new ArrayList<>();
  private final LivenessTimeouts timeouts =
      new LivenessTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15));
  private final LivenessTracker tracker =
      new LivenessTracker(
          clock,
          List.of(
              new TrackedDevice(
                  "cnc-01", "E001", "opcua-1", "opcua", timeouts, Map.of("serialNumber", "SN-1")),
              new TrackedDevice("cnc-02", "E001", "opcua-1", "opcua", timeouts, Map.of()),
              new TrackedDevice("press-01", "E002", "mqtt-1", "mqtt", timeouts, Map.of())),
          changes::add);

  private void good(String device) {
    tracker.reading(
        Reading.of(device, "Temp", 21.5, clock.instant(), clock.instant(), Quality.GOOD));
  }

  private DeviceState state(String device) {
    return tracker.device(device).orElseThrow().state();
  }

  @Test
  void a_device_is_unknown_until_it_is_heard_from() {
    assertThat(state("cnc-01")).isEqualTo(DeviceState.UNKNOWN);
    clock.advance(Duration.ofHours(1));
    tracker.sweep();
    assertThat(state("cnc-01")).isEqualTo(DeviceState.UNKNOWN);
  }

  @Test
  void good_data_makes_a_device_online_and_records_when_it_was_seen() {
    good("cnc-01");
    assertThat(state("cnc-01")).isEqualTo(DeviceState.ONLINE);
    assertThat(tracker.device("cnc-01").orElseThrow().lastSeen()).isEqualTo(clock.instant());
    assertThat(changes)
        .singleElement()
        .isEqualTo(
            new StateChange(
                "cnc-01", DeviceState.UNKNOWN, DeviceState.ONLINE, clock.instant(), "Good data"));
  }

  @Test
  void bad_or_uncertain_data_never_makes_a_device_online() {
    tracker.reading(
        Reading.of("cnc-01", "Temp", null, clock.instant(), clock.instant(), Quality.BAD));
    tracker.reading(
        Reading.of("cnc-01", "Temp", 1.0, clock.instant(), clock.instant(), Quality.UNCERTAIN));
    assertThat(state("cnc-01")).isEqualTo(DeviceState.UNKNOWN);
  }

  @Test
  void historical_data_is_never_online_time() {
    tracker.reading(
        new Reading("press-01", "t", 1.0, clock.instant(), clock.instant(), Quality.GOOD, true));
    assertThat(state("press-01")).isEqualTo(DeviceState.UNKNOWN);
  }

  @Test
  void silence_makes_a_device_stale_after_stale_after_and_offline_after_offline_after() {
    good("cnc-01");
    clock.advance(Duration.ofSeconds(5));
    tracker.sweep();
    assertThat(state("cnc-01")).as("exactly at staleAfter").isEqualTo(DeviceState.ONLINE);
    clock.advance(Duration.ofMillis(1));
    tracker.sweep();
    assertThat(state("cnc-01")).isEqualTo(DeviceState.STALE);
    clock.advance(Duration.ofSeconds(10));
    tracker.sweep();
    assertThat(state("cnc-01")).isEqualTo(DeviceState.OFFLINE);
    assertThat(tracker.device("cnc-01").orElseThrow().cause()).isEqualTo("no Good data for 15 s");
    assertThat(tracker.device("cnc-01").orElseThrow().since())
        .as("stamped when the timeout ran out")
        .isEqualTo(Instant.parse("2026-03-01T00:00:15Z"));
    assertThat(state("cnc-02")).as("other devices untouched").isEqualTo(DeviceState.UNKNOWN);
  }

  @Test
  void a_late_sweep_records_both_stale_and_offline_at_the_instants_the_timeouts_ran_out() {
    good("cnc-01");
    changes.clear();
    clock.advance(Duration.ofMinutes(5));
    tracker.sweep();
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    assertThat(changes)
        .containsExactly(
            new StateChange(
                "cnc-01",
                DeviceState.ONLINE,
                DeviceState.STALE,
                t0.plusSeconds(5),
                "no Good data for 5.0 s"),
            new StateChange(
                "cnc-01",
                DeviceState.STALE,
                DeviceState.OFFLINE,
                t0.plusSeconds(15),
                "no Good data for 15 s"));
  }

  @Test
  void data_after_stale_or_offline_brings_the_device_back_online() {
    good("cnc-01");
    clock.advance(Duration.ofSeconds(20));
    tracker.sweep();
    assertThat(state("cnc-01")).isEqualTo(DeviceState.OFFLINE);
    good("cnc-01");
    assertThat(state("cnc-01")).isEqualTo(DeviceState.ONLINE);
  }

  @Test
  void a_disconnect_makes_a_device_offline_at_once_with_its_cause() {
    good("cnc-01");
    tracker.event(new DeviceEvent.Disconnected("cnc-01", clock.instant(), "server state TEST"));
    assertThat(state("cnc-01")).isEqualTo(DeviceState.OFFLINE);
    assertThat(tracker.device("cnc-01").orElseThrow().cause()).isEqualTo("server state TEST");
  }

  @Test
  void good_data_while_disconnected_does_not_count_until_the_device_reconnects() {
    tracker.event(new DeviceEvent.Disconnected("cnc-01", clock.instant(), "server state TEST"));
    good("cnc-01");
    assertThat(state("cnc-01")).isEqualTo(DeviceState.OFFLINE);
    tracker.event(new DeviceEvent.Connected("cnc-01", clock.instant()));
    good("cnc-01");
    assertThat(state("cnc-01")).isEqualTo(DeviceState.ONLINE);
  }

  @Test
  void a_keep_alive_keeps_a_device_with_unchanging_values_online() {
    good("cnc-01");
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(4));
      tracker.event(new DeviceEvent.Alive("cnc-01", clock.instant()));
      tracker.sweep();
    }
    assertThat(state("cnc-01")).isEqualTo(DeviceState.ONLINE);
  }

  @Test
  void a_sparkplug_death_is_offline_and_a_birth_is_online() {
    tracker.event(new DeviceEvent.Birth("press-01", clock.instant()));
    assertThat(state("press-01")).isEqualTo(DeviceState.ONLINE);
    tracker.event(new DeviceEvent.Death("press-01", clock.instant(), "NDEATH bdSeq 3"));
    assertThat(state("press-01")).isEqualTo(DeviceState.OFFLINE);
    assertThat(tracker.device("press-01").orElseThrow().cause()).isEqualTo("death: NDEATH bdSeq 3");
  }

  @Test
  void the_online_ratio_is_time_online_over_time_since_first_seen() {
    good("cnc-01");
    clock.advance(Duration.ofSeconds(5));
    good("cnc-01"); // last Good data at 5 s: online until 10 s (staleAfter), then STALE, OFFLINE
    clock.advance(Duration.ofSeconds(16));
    tracker.sweep(); // a late sweep must not stretch online time to 21 s
    clock.advance(Duration.ofSeconds(9));
    assertThat(tracker.device("cnc-01").orElseThrow().onlineRatio()).isEqualTo(0.3333);
  }

  @Test
  void an_identity_the_enterprise_did_not_claim_is_flagged_as_a_mismatch() {
    tracker.event(
        new DeviceEvent.IdentityObserved(
            "cnc-01",
            clock.instant(),
            new DeviceIdentity(Map.of("serialNumber", "SN-9", "manufacturer", "Haas"))));
    DeviceView v = tracker.device("cnc-01").orElseThrow();
    assertThat(v.identity()).containsEntry("serialNumber", "SN-9");
    assertThat(v.flags())
        .containsExactly("IDENTITY_MISMATCH serialNumber: claimed SN-1, equipment says SN-9");
  }

  @Test
  void a_second_device_reporting_the_same_serial_is_flagged_and_the_first_keeps_it() {
    DeviceIdentity same =
        new DeviceIdentity(Map.of("serialNumber", "SN-1", "manufacturer", "Haas"));
    tracker.event(new DeviceEvent.IdentityObserved("cnc-01", clock.instant(), same));
    tracker.event(new DeviceEvent.IdentityObserved("cnc-02", clock.instant(), same));
    assertThat(tracker.device("cnc-01").orElseThrow().flags()).isEmpty();
    assertThat(tracker.device("cnc-02").orElseThrow().flags())
        .containsExactly(
            "DUPLICATE_IDENTITY serialNumber=SN-1 manufacturer=Haas is already reported by device cnc-01");
  }

  @Test
  void a_condition_flag_clears_when_the_adapter_says_it_is_gone_and_both_moments_are_recorded() {
    good("cnc-01");
    clock.advance(Duration.ofSeconds(3));
    Instant raised = clock.instant();
    tracker.event(
        new DeviceEvent.Flagged(
            "cnc-01", raised, DeviceEvent.Flag.CLOCK_SKEW, "source timestamps are 30.0 s ahead"));
    assertThat(tracker.device("cnc-01").orElseThrow().flags())
        .containsExactly("CLOCK_SKEW source timestamps are 30.0 s ahead");

    clock.advance(Duration.ofMinutes(7));
    Instant cleared = clock.instant();
    good("cnc-01");
    tracker.event(
        new DeviceEvent.FlagCleared(
            "cnc-01", cleared, DeviceEvent.Flag.CLOCK_SKEW, "within tolerance again"));

    DeviceView v = tracker.device("cnc-01").orElseThrow();
    assertThat(v.flags()).isEmpty();
    assertThat(v.state()).isEqualTo(DeviceState.ONLINE);
    assertThat(changes)
        .containsExactly(
            new StateChange(
                "cnc-01",
                DeviceState.UNKNOWN,
                DeviceState.ONLINE,
                raised.minusSeconds(3),
                "Good data"),
            new StateChange(
                "cnc-01",
                DeviceState.ONLINE,
                DeviceState.ONLINE,
                raised,
                "flagged CLOCK_SKEW: source timestamps are 30.0 s ahead"),
            new StateChange(
                "cnc-01",
                DeviceState.ONLINE,
                DeviceState.ONLINE,
                cleared,
                "CLOCK_SKEW cleared: within tolerance again"));
  }

  @Test
  void a_flag_raised_again_while_it_stands_updates_its_detail_without_a_new_record() {
    tracker.event(
        new DeviceEvent.Flagged("cnc-02", clock.instant(), DeviceEvent.Flag.BAD_QUALITY, "a"));
    clock.advance(Duration.ofSeconds(1));
    tracker.event(
        new DeviceEvent.Flagged("cnc-02", clock.instant(), DeviceEvent.Flag.BAD_QUALITY, "b"));
    assertThat(tracker.device("cnc-02").orElseThrow().flags()).containsExactly("BAD_QUALITY b");
    assertThat(changes).hasSize(1);
  }

  @Test
  void clearing_a_flag_that_is_not_raised_changes_and_records_nothing() {
    good("cnc-02");
    changes.clear();
    tracker.event(
        new DeviceEvent.FlagCleared(
            "cnc-02", clock.instant(), DeviceEvent.Flag.FROZEN_VALUES, "changed again"));
    assertThat(changes).isEmpty();
    assertThat(tracker.device("cnc-02").orElseThrow().flags()).isEmpty();
  }

  @Test
  void a_flag_that_records_a_fact_cannot_be_cleared_by_an_adapter() {
    for (DeviceEvent.Flag fact :
        List.of(
            DeviceEvent.Flag.MALFORMED_PAYLOAD,
            DeviceEvent.Flag.REPLAYED_SEQUENCE,
            DeviceEvent.Flag.SEQUENCE_GAP)) {
      assertThatThrownBy(
              () -> new DeviceEvent.FlagCleared("press-01", clock.instant(), fact, "fine now"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("records a fact");
    }
  }

  @Test
  void an_identity_mismatch_stays_through_good_data_and_clears_only_when_the_equipment_agrees() {
    serial("cnc-01", "SN-9");
    good("cnc-01");
    clock.advance(Duration.ofHours(1));
    good("cnc-01");
    assertThat(flags("cnc-01")).hasSize(1);

    clock.advance(Duration.ofMinutes(1));
    serial("cnc-01", "SN-1");
    assertThat(flags("cnc-01")).isEmpty();
    assertThat(changes)
        .last()
        .isEqualTo(
            new StateChange(
                "cnc-01",
                DeviceState.ONLINE,
                DeviceState.ONLINE,
                clock.instant(),
                "IDENTITY_MISMATCH cleared: the equipment's identity agrees with the inventory"
                    + " again"));
  }

  @Test
  void a_duplicate_identity_clears_when_the_device_reports_a_serial_of_its_own() {
    serial("cnc-01", "SN-1");
    serial("cnc-02", "SN-1");
    assertThat(flags("cnc-02")).hasSize(1);

    clock.advance(Duration.ofSeconds(30));
    serial("cnc-02", "SN-2");
    assertThat(flags("cnc-02")).isEmpty();
    assertThat(changes)
        .last()
        .isEqualTo(
            new StateChange(
                "cnc-02",
                DeviceState.UNKNOWN,
                DeviceState.UNKNOWN,
                clock.instant(),
                "DUPLICATE_IDENTITY cleared: the device reports an identity of its own"
                    + " (serialNumber=SN-2)"));
  }

  /** The device's equipment reports its serial number now. */
  private void serial(String device, String serialNumber) {
    tracker.event(
        new DeviceEvent.IdentityObserved(
            device, clock.instant(), new DeviceIdentity(Map.of("serialNumber", serialNumber))));
  }

  private List<String> flags(String device) {
    return tracker.device(device).orElseThrow().flags();
  }

  @Test
  void counts_by_state_cover_every_state() {
    good("cnc-01");
    assertThat(tracker.countByState())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                DeviceState.UNKNOWN,
                2L,
                DeviceState.ONLINE,
                1L,
                DeviceState.STALE,
                0L,
                DeviceState.OFFLINE,
                0L));
  }

  @Test
  void a_minute_of_presence_counts_online_time_good_samples_value_changes_and_clock_skew() {
    // The tracker started at 00:00:00; the device reports every second for 30 s, then falls silent.
    for (int s = 0; s < 30; s++) {
      Instant source = clock.instant().minusMillis(s == 10 ? 1_500 : 20);
      tracker.reading(
          Reading.of(
              "cnc-01", "Temp", s < 20 ? 20.0 + s : 40.0, source, clock.instant(), Quality.GOOD));
      clock.advance(Duration.ofSeconds(1));
    }
    clock.set(Instant.parse("2026-03-01T00:01:00.100Z"));
    List<PresenceRecord> minute = tracker.closeMinute(Instant.parse("2026-03-01T00:01:00Z"));

    PresenceRecord cnc = minute.get(0);
    assertThat(cnc.minuteStart()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(cnc.observedMillis()).isEqualTo(60_000);
    assertThat(cnc.onlineMillis()).as("last Good data at 29 s, stale 5 s later").isEqualTo(34_000);
    assertThat(cnc.goodSamples()).isEqualTo(30);
    assertThat(cnc.valueChanges()).as("values change for 20 s, then stay at 40").isEqualTo(20);
    assertThat(cnc.maxClockSkewMillis()).isEqualTo(1_500);
    assertThat(minute.get(1))
        .isEqualTo(new PresenceRecord("cnc-02", cnc.minuteStart(), 60_000, 0, 0, 0, 0));

    clock.set(Instant.parse("2026-03-01T00:02:00.100Z"));
    PresenceRecord next = tracker.closeMinute(Instant.parse("2026-03-01T00:02:00Z")).get(0);
    assertThat(next.onlineMillis()).isZero();
    assertThat(next.goodSamples()).isZero();
  }

  @Test
  void the_first_minute_after_a_start_counts_only_the_time_the_gateway_was_watching() {
    clock.set(Instant.parse("2026-03-01T00:00:45Z"));
    LivenessTracker late =
        new LivenessTracker(
            clock, List.of(new TrackedDevice("x", "E", "s", "p", timeouts, Map.of())), c -> {});
    late.reading(Reading.of("x", "t", 1.0, clock.instant(), clock.instant(), Quality.GOOD));
    clock.set(Instant.parse("2026-03-01T00:01:00Z"));
    PresenceRecord first = late.closeMinute(Instant.parse("2026-03-01T00:01:00Z")).get(0);
    assertThat(first.observedMillis()).isEqualTo(15_000);
    assertThat(first.onlineMillis()).as("one reading: online until staleAfter").isEqualTo(5_000);
  }

  @Test
  void readings_of_devices_not_in_the_inventory_are_ignored() {
    tracker.reading(Reading.of("ghost", "t", 1.0, clock.instant(), clock.instant(), Quality.GOOD));
    assertThat(tracker.devices())
        .extracting(DeviceView::id)
        .containsExactly("cnc-01", "cnc-02", "press-01");
    assertThat(changes).isEmpty();
  }
}
