package dev.onboard.adapters.mqtt.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.onboard.gateway.spi.DeviceEvent;
import dev.onboard.gateway.spi.DeviceIdentity;
import dev.onboard.gateway.spi.DeviceSpec;
import dev.onboard.gateway.spi.Quality;
import dev.onboard.gateway.spi.Reading;
import dev.onboard.gateway.spi.Settings;
import dev.onboard.simulator.mqtt.sparkplug.SpEncoder;
import dev.onboard.simulator.mqtt.sparkplug.SpMetric;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host's session logic, message by message, with time moved by hand. Payloads are built with
 * the simulator's encoder, written independently of the adapter's decoder, so the two check each
 * other.
 */
class SparkplugHostTest {

  private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
  private static final String G = "plant";
  private static final String N = "line-1";
  private static final String PRESS_DATA = "spBv1.0/plant/DDATA/line-1/press-7";

  private final Recorder out = new Recorder();
  private SparkplugHost host;
  private Instant now = T0;

  @BeforeEach
  void setUp() throws Exception {
    SparkplugDirectory directory =
        SparkplugDirectory.build(
            List.of(
                device("node-1", Map.of("group", G, "edgeNode", N)),
                device("press", Map.of("group", G, "edgeNode", N, "device", "press-7")),
                device("oven", Map.of("group", G, "edgeNode", N, "device", "oven-2"))));
    host =
        new SparkplugHost(
            "plant-mqtt",
            new SparkplugSettings(
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                "Properties/Serial Number",
                "Properties/Manufacturer",
                "Properties/Model"),
            directory,
            out,
            4096);
  }

  @Test
  void subscribes_to_each_group_of_the_inventory() {
    assertThat(host.filters()).containsExactly("spBv1.0/plant/#");
  }

  @Test
  void births_give_birth_identity_and_readings_and_data_by_alias_is_named_from_the_birth() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");
    send(
        "DDATA/" + N + "/press-7",
        2,
        List.of(new SpMetric(null, 101L, T0.toEpochMilli() + 5, SpEncoder.DOUBLE, false, 21.5)));

    assertThat(out.events(DeviceEvent.Birth.class))
        .extracting(DeviceEvent::deviceId)
        .containsExactly("node-1", "press");
    DeviceIdentity press = out.identity("press");
    assertThat(press.attributes())
        .containsEntry(DeviceIdentity.SPARKPLUG_GROUP, G)
        .containsEntry(DeviceIdentity.SPARKPLUG_EDGE_NODE, N)
        .containsEntry(DeviceIdentity.SPARKPLUG_DEVICE, "press-7")
        .containsEntry(DeviceIdentity.SERIAL_NUMBER, "SN-PRESS-7")
        .containsEntry(DeviceIdentity.MANUFACTURER, "Acme");
    assertThat(out.identity("node-1").get(DeviceIdentity.SERIAL_NUMBER)).isEqualTo("SN-NODE");
    Reading last = out.lastReading("press", "temperature");
    assertThat(last.value()).isEqualTo(21.5);
    assertThat(last.sourceTime()).isEqualTo(T0.plusMillis(5));
    assertThat(last.quality()).isEqualTo(Quality.GOOD);
    assertThat(last.historical()).isFalse();
    // Control metrics and bdSeq are not readings.
    assertThat(out.readings)
        .extracting(Reading::tag)
        .doesNotContain("bdSeq", "Node Control/Rebirth");
    assertThat(out.refusals).isEmpty();
    assertThat(out.published).isEmpty();
  }

  @Test
  void node_death_with_the_session_bdseq_kills_the_node_and_every_device_under_it() {
    nbirth(0, 3);
    dbirth(1, "press-7", "SN-PRESS-7");

    ndeath(3);

    assertThat(out.events(DeviceEvent.Death.class))
        .extracting(DeviceEvent::deviceId)
        .containsExactlyInAnyOrder("node-1", "press", "oven");
    assertThat(out.events(DeviceEvent.Death.class).get(0).cause()).contains("bdSeq 3");
  }

  @Test
  void a_node_death_sends_each_devices_last_values_again_as_stale_at_the_death_time() {
    nbirth(0, 3);
    dbirth(1, "press-7", "SN-PRESS-7");
    now = T0.plusSeconds(1);
    ddata(2, "press-7", 25.0);
    now = T0.plusSeconds(7);
    int before = out.readings.size();

    ndeath(3);

    List<Reading> stale = List.copyOf(out.readings.subList(before, out.readings.size()));
    assertThat(stale)
        .extracting(Reading::deviceId, Reading::tag, Reading::value)
        .contains(tuple("press", "temperature", 25.0), tuple("node-1", "uptimeSeconds", 5L));
    assertThat(stale)
        .allSatisfy(
            r -> {
              assertThat(r.quality()).isEqualTo(Quality.STALE);
              assertThat(r.sourceTime()).isEqualTo(now);
              assertThat(r.receiveTime()).isEqualTo(now);
              assertThat(r.historical()).isFalse();
            });
    // The oven was never born: no value to mark, but it dies with its node.
    assertThat(stale).extracting(Reading::deviceId).doesNotContain("oven");
    assertThat(out.events(DeviceEvent.Death.class))
        .extracting(DeviceEvent::deviceId)
        .containsExactlyInAnyOrder("node-1", "press", "oven");
    assertThat(death("press").cause()).contains("bdSeq 3").contains("metrics STALE");
    assertThat(death("oven").cause()).doesNotContain("STALE");
    assertThat(host.counters().staleReadings()).isEqualTo(stale.size());

    // A second Will of the same session has nothing left to mark.
    now = T0.plusSeconds(8);
    ndeath(3);
    assertThat(out.readings).hasSize(before + stale.size());
  }

  @Test
  void a_late_will_of_an_older_session_is_ignored() {
    nbirth(0, 4);

    ndeath(3);

    assertThat(out.events(DeviceEvent.Death.class)).isEmpty();
    assertThat(host.counters().lateDeathsIgnored()).isEqualTo(1);
    ndeath(4);
    assertThat(out.events(DeviceEvent.Death.class)).hasSize(3);
  }

  @Test
  void a_seq_gap_waits_the_reorder_timeout_then_flags_asks_for_a_rebirth_and_goes_on() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");
    int before = out.readings.size();

    ddata(3, "press-7", 30.0); // seq 2 never comes

    assertThat(out.readings).hasSize(before);
    now = T0.plusMillis(1999);
    host.tick(now);
    assertThat(out.published).isEmpty();

    now = T0.plusSeconds(2);
    host.tick(now);
    assertThat(out.published).hasSize(1);
    assertThat(out.published.get(0).topic()).isEqualTo("spBv1.0/plant/NCMD/line-1");
    SparkplugMetric rebirth =
        decode(out.published.get(0).payload()).metric(SparkplugEncoder.REBIRTH_METRIC);
    assertThat(rebirth.kind()).isEqualTo(SparkplugMetric.ValueKind.BOOLEAN);
    assertThat(rebirth.bits()).isEqualTo(1);
    assertThat(out.flags(DeviceEvent.Flag.SEQUENCE_GAP))
        .containsExactlyInAnyOrder("node-1", "press", "oven");
    assertThat(out.lastReading("press", "temperature").value()).isEqualTo(30.0);

    ddata(4, "press-7", 31.0);
    assertThat(out.lastReading("press", "temperature").value()).isEqualTo(31.0);
    assertThat(host.counters().gaps()).isEqualTo(1);
    assertThat(host.counters().rebirthRequests()).isEqualTo(1);
  }

  @Test
  void messages_out_of_order_within_the_timeout_are_handled_in_seq_order_without_a_rebirth() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");

    ddata(3, "press-7", 33.0);
    ddata(2, "press-7", 32.0);
    now = T0.plusSeconds(60);
    host.tick(now);

    List<Object> temps =
        out.readings.stream()
            .filter(r -> r.tag().equals("temperature"))
            .map(Reading::value)
            .collect(Collectors.toList());
    assertThat(temps).endsWith(32.0, 33.0);
    assertThat(out.published).isEmpty();
    assertThat(out.flags(DeviceEvent.Flag.SEQUENCE_GAP)).isEmpty();
  }

  @Test
  void seq_wraps_from_255_to_0() {
    nbirth(254, 0);
    ddata(255, "press-7", 1.0); // no DBIRTH yet: dropped, but its seq counts
    dbirth(0, "press-7", "SN-PRESS-7");
    ddata(1, "press-7", 2.0);
    now = T0.plusSeconds(60);
    host.tick(now);
    assertThat(out.lastReading("press", "temperature").value()).isEqualTo(2.0);
    assertThat(host.counters().gaps()).isZero();
  }

  @Test
  void a_replay_more_than_128_seq_old_is_told_from_a_gap_by_its_timestamp_and_asks_no_rebirth() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");
    byte[] old = null;
    for (int seq = 2; seq < 150; seq++) {
      now = now.plusMillis(100);
      byte[] sent = ddata(seq, "press-7", seq);
      if (seq == 10) {
        old = sent;
      }
    }

    // seq 10 is 140 behind the expected 150; by seq alone it is 116 ahead.
    now = now.plusMillis(100);
    host.message(PRESS_DATA, old, false, now);
    ddata(150, "press-7", 150.0);
    now = now.plusSeconds(60);
    host.tick(now);

    assertThat(out.refusals).extracting(Refusal::reason).containsExactly("REPLAYED");
    assertThat(out.refusals.get(0).detail()).contains("before the last handled message");
    assertThat(out.flags(DeviceEvent.Flag.REPLAYED_SEQUENCE)).containsExactly("press");
    assertThat(out.flags(DeviceEvent.Flag.SEQUENCE_GAP)).isEmpty();
    assertThat(out.published).isEmpty();
    assertThat(host.counters().gaps()).isZero();
    assertThat(host.counters().replays()).isEqualTo(1);
    assertThat(out.lastReading("press", "temperature").value()).isEqualTo(150.0);
  }

  @Test
  void a_seq_more_than_128_ahead_stamped_after_the_last_message_is_a_gap_and_asks_a_rebirth() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");
    ddata(2, "press-7", 20.0);

    // 197 ahead of the expected 3: by seq alone 59 behind, but stamped later than seq 2.
    now = now.plusMillis(100);
    ddata(200, "press-7", 21.0);
    assertThat(out.refusals).isEmpty();
    now = now.plusSeconds(2);
    host.tick(now);

    assertThat(out.flags(DeviceEvent.Flag.SEQUENCE_GAP)).contains("press");
    assertThat(out.published).hasSize(1);
    assertThat(out.lastReading("press", "temperature").value()).isEqualTo(21.0);
    assertThat(host.counters().replays()).isZero();
    ddata(201, "press-7", 22.0);
    assertThat(out.lastReading("press", "temperature").value()).isEqualTo(22.0);
  }

  @Test
  void a_node_that_sends_nothing_but_replays_for_the_reorder_timeout_is_asked_to_rebirth() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");
    byte[] old = ddata(2, "press-7", 20.0);
    now = now.plusMillis(100);
    ddata(3, "press-7", 21.0);

    host.message(PRESS_DATA, old, false, now);
    host.tick(now.plusMillis(1999));
    assertThat(out.published).isEmpty();

    host.tick(now.plusSeconds(2));
    assertThat(out.published).hasSize(1);
    host.tick(now.plusSeconds(60));
    assertThat(out.published).hasSize(1);
  }

  @Test
  void a_replayed_seq_is_refused_and_flagged_and_a_broker_redelivery_is_dropped_quietly() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");
    byte[] old = ddata(2, "press-7", 20.0);
    ddata(3, "press-7", 21.0);

    host.message("spBv1.0/plant/DDATA/line-1/press-7", old, true, now);
    assertThat(host.counters().duplicatesDropped()).isEqualTo(1);
    assertThat(out.refusals).isEmpty();

    host.message("spBv1.0/plant/DDATA/line-1/press-7", old, false, now);
    assertThat(out.refusals).extracting(Refusal::reason).containsExactly("REPLAYED");
    assertThat(out.flags(DeviceEvent.Flag.REPLAYED_SEQUENCE)).containsExactly("press");
    assertThat(out.lastReading("press", "temperature").value()).isEqualTo(21.0);
    // Nothing was lost, so no rebirth is asked for.
    assertThat(out.published).isEmpty();
  }

  @Test
  void
      data_from_a_session_never_seen_born_is_dropped_and_rebirth_is_asked_at_most_once_per_interval() {
    ddata(7, "press-7", 1.0);
    ddata(8, "press-7", 1.0);
    assertThat(out.readings).isEmpty();
    assertThat(out.published).hasSize(1);

    now = T0.plusSeconds(10);
    ddata(9, "press-7", 1.0);
    assertThat(out.published).hasSize(2);
    assertThat(host.counters().droppedBeforeBirth()).isEqualTo(3);
  }

  @Test
  void ddata_of_a_device_without_dbirth_is_dropped_and_asks_for_a_rebirth() {
    nbirth(0, 0);
    ddata(1, "press-7", 1.0);
    assertThat(out.readingsOf("press")).isEmpty();
    assertThat(out.published).hasSize(1);
  }

  @Test
  void a_device_death_kills_only_that_device() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");
    ddata(2, "press-7", 26.0);
    now = T0.plusSeconds(3);
    int before = out.readings.size();

    send("DDEATH/" + N + "/press-7", 3, List.of());

    assertThat(out.events(DeviceEvent.Death.class))
        .extracting(DeviceEvent::deviceId)
        .containsExactly("press");
    List<Reading> stale = out.readings.subList(before, out.readings.size());
    assertThat(stale).extracting(Reading::deviceId).containsOnly("press");
    assertThat(stale).extracting(Reading::quality).containsOnly(Quality.STALE);
    assertThat(stale)
        .extracting(Reading::tag, Reading::value, Reading::sourceTime)
        .contains(tuple("temperature", 26.0, now));
  }

  @Test
  void historical_metrics_become_historical_readings_with_their_own_time() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");
    long old = T0.minusSeconds(3600).toEpochMilli();
    send(
        "DDATA/" + N + "/press-7",
        2,
        List.of(new SpMetric(null, 101L, old, SpEncoder.DOUBLE, true, 5.0)));
    Reading r = out.lastReading("press", "temperature");
    assertThat(r.historical()).isTrue();
    assertThat(r.sourceTime()).isEqualTo(Instant.ofEpochMilli(old));
  }

  @Test
  void every_malformed_case_is_refused_with_its_reason_and_the_host_goes_on() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");

    host.message("spBv1.0/plant/DDATA/line-1/press-7", new byte[] {0x12, 0x7F}, false, now);
    host.message("spBv1.0/plant/DDATA/line-1/press-7", new byte[5000], false, now);
    // An alias no birth declared, next to a good one: the good one is delivered.
    send(
        "DDATA/" + N + "/press-7",
        2,
        List.of(
            new SpMetric(null, 999L, null, SpEncoder.DOUBLE, false, 1.0),
            new SpMetric(null, 101L, null, SpEncoder.DOUBLE, false, 42.0)));
    // A string where the birth declared Double.
    send(
        "DDATA/" + N + "/press-7",
        3,
        List.of(new SpMetric(null, 101L, null, SpEncoder.STRING, false, "hot")));
    // No seq at all.
    host.message(
        "spBv1.0/plant/DDATA/line-1/press-7", SpEncoder.payload(1L, null, List.of()), false, now);

    assertThat(out.refusals)
        .extracting(Refusal::reason)
        .containsExactly(
            "BAD_PROTOBUF", "OVERSIZE", "UNKNOWN_ALIAS", "WRONG_TYPE", "MISSING_FIELD");
    assertThat(out.refusals).extracting(Refusal::deviceId).containsOnly("press");
    assertThat(out.flags(DeviceEvent.Flag.MALFORMED_PAYLOAD)).containsOnly("press");
    assertThat(out.lastReading("press", "temperature").value()).isEqualTo(42.0);

    ddata(4, "press-7", 43.0);
    assertThat(out.lastReading("press", "temperature").value()).isEqualTo(43.0);
  }

  @Test
  void a_messages_metrics_are_handed_over_in_one_call_before_its_refusal() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");
    out.calls.clear();

    send(
        "DDATA/" + N + "/press-7",
        2,
        List.of(
            new SpMetric(null, 101L, null, SpEncoder.DOUBLE, false, 21.5),
            new SpMetric(null, 999L, null, SpEncoder.DOUBLE, false, 1.0),
            SpMetric.of("pressure", null, SpEncoder.DOUBLE, 3.5)));

    assertThat(out.calls).containsExactly("readings 2", "refuse UNKNOWN_ALIAS");
    assertThat(out.readingsOf("press"))
        .extracting(Reading::tag)
        .endsWith("temperature", "pressure");
  }

  @Test
  void data_by_alias_is_named_for_each_of_a_hundred_aliases_a_birth_declared() {
    nbirth(0, 0);
    List<SpMetric> birth = new ArrayList<>();
    List<SpMetric> data = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      // Far apart and close together, and above what a Long cache or an int would hold.
      long alias = i % 2 == 0 ? (1L << 40) + i : 7L * i;
      birth.add(SpMetric.of("m" + i, alias, SpEncoder.DOUBLE, 0.0));
      data.add(new SpMetric(null, alias, null, SpEncoder.DOUBLE, false, (double) i));
    }
    send("DBIRTH/" + N + "/press-7", 1, birth);
    int before = out.readings.size();

    send("DDATA/" + N + "/press-7", 2, data);

    List<Reading> got = out.readings.subList(before, out.readings.size());
    assertThat(got).hasSize(100);
    for (int i = 0; i < 100; i++) {
      assertThat(got.get(i).tag()).isEqualTo("m" + i);
      assertThat(got.get(i).value()).isEqualTo((double) i);
    }
    assertThat(out.refusals).isEmpty();
  }

  @Test
  void a_device_death_makes_the_last_value_of_each_metric_stale_whichever_message_carried_it() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");
    // Report by exception: the later message carries only what changed, one metric by name, and
    // one metric the birth never declared.
    send(
        "DDATA/" + N + "/press-7",
        2,
        List.of(
            new SpMetric(null, 101L, null, SpEncoder.DOUBLE, false, 21.5),
            SpMetric.of("pressure", null, SpEncoder.DOUBLE, 3.5)));
    send(
        "DDATA/" + N + "/press-7",
        3,
        List.of(
            SpMetric.of("temperature", null, SpEncoder.DOUBLE, 22.5),
            SpMetric.of("Properties/Manufacturer", null, SpEncoder.STRING, "Acme Ltd")));
    int before = out.readings.size();

    send("DDEATH/" + N + "/press-7", 4, List.of());

    assertThat(out.readings.subList(before, out.readings.size()))
        .extracting(Reading::tag, Reading::value, Reading::quality)
        .containsExactly(
            tuple("temperature", 22.5, Quality.STALE),
            tuple("Properties/Serial Number", "SN-PRESS-7", Quality.STALE),
            tuple("Properties/Manufacturer", "Acme Ltd", Quality.STALE),
            tuple("pressure", 3.5, Quality.STALE));
  }

  @Test
  void an_nbirth_without_bdseq_is_refused_and_the_node_is_asked_again() {
    send("NBIRTH/" + N, 0, List.of(SpMetric.of("x", null, SpEncoder.DOUBLE, 1.0)));
    assertThat(out.refusals).extracting(Refusal::reason).containsExactly("MISSING_FIELD");
    assertThat(out.events(DeviceEvent.Birth.class)).isEmpty();
    assertThat(out.published).hasSize(1);
  }

  @Test
  void nodes_without_inventory_devices_and_other_topics_are_ignored() {
    host.message("spBv1.0/plant/NBIRTH/elsewhere", new byte[] {1}, false, now);
    host.message("spBv1.0/STATE/some-host", "{}".getBytes(), false, now);
    host.message("spBv1.0/plant/NCMD/line-1", new byte[] {1}, false, now);
    assertThat(out.refusals).isEmpty();
    assertThat(host.counters().unmatched()).isEqualTo(1);
  }

  @Test
  void a_rebirth_asked_too_soon_is_owed_and_sent_when_the_interval_has_passed() {
    ddata(7, "press-7", 1.0); // unknown session: asks at once
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");
    now = T0.plusSeconds(1);
    ddata(3, "press-7", 2.0); // seq 2 is lost
    now = T0.plusSeconds(4);
    host.tick(now); // the gap closes, but the last request was only 4 s ago
    assertThat(out.published).hasSize(1);

    now = T0.plusSeconds(9);
    host.tick(now);
    assertThat(out.published).hasSize(1);
    now = T0.plusSeconds(10);
    host.tick(now);
    assertThat(out.published).hasSize(2);
    host.tick(T0.plusSeconds(30));
    assertThat(out.published).hasSize(2);
  }

  @Test
  void an_owed_rebirth_is_forgotten_when_the_node_births_on_its_own() {
    ddata(7, "press-7", 1.0);
    ddata(8, "press-7", 1.0); // too soon: owed
    nbirth(0, 1); // the node reconnected by itself
    host.tick(T0.plusSeconds(30));
    assertThat(out.published).hasSize(1);
  }

  @Test
  void after_the_connection_was_lost_no_session_is_trusted_and_each_node_is_asked_again() {
    nbirth(0, 0);
    dbirth(1, "press-7", "SN-PRESS-7");
    ddata(2, "press-7", 1.0);
    int before = out.readings.size();

    host.connectionLost();
    ddata(3, "press-7", 2.0);

    assertThat(out.readings).hasSize(before);
    assertThat(out.published).hasSize(1);
    nbirth(0, 1);
    dbirth(1, "press-7", "SN-PRESS-7");
    ddata(2, "press-7", 3.0);
    assertThat(out.lastReading("press", "temperature").value()).isEqualTo(3.0);
  }

  // ---- helpers

  private DeviceEvent.Death death(String deviceId) {
    return out.events(DeviceEvent.Death.class).stream()
        .filter(d -> d.deviceId().equals(deviceId))
        .findFirst()
        .orElseThrow();
  }

  private void nbirth(int seq, long bdSeq) {
    send(
        "NBIRTH/" + N,
        seq,
        List.of(
            SpMetric.of("bdSeq", null, SpEncoder.INT64, bdSeq),
            SpMetric.of("Node Control/Rebirth", null, SpEncoder.BOOLEAN, false),
            SpMetric.of("Properties/Serial Number", null, SpEncoder.STRING, "SN-NODE"),
            SpMetric.of("uptimeSeconds", 1L, SpEncoder.INT64, 5L)));
  }

  private void dbirth(int seq, String device, String serial) {
    send(
        "DBIRTH/" + N + "/" + device,
        seq,
        List.of(
            SpMetric.of("temperature", 101L, SpEncoder.DOUBLE, 20.0),
            SpMetric.of("Properties/Serial Number", null, SpEncoder.STRING, serial),
            SpMetric.of("Properties/Manufacturer", null, SpEncoder.STRING, "Acme")));
  }

  private byte[] ddata(int seq, String device, double temperature) {
    return send(
        "DDATA/" + N + "/" + device,
        seq,
        List.of(new SpMetric(null, 101L, null, SpEncoder.DOUBLE, false, temperature)));
  }

  private void ndeath(long bdSeq) {
    host.message(
        "spBv1.0/plant/NDEATH/" + N,
        SpEncoder.payload(null, null, List.of(SpMetric.of("bdSeq", null, SpEncoder.INT64, bdSeq))),
        false,
        now);
  }

  private byte[] send(String typeAndIds, int seq, List<SpMetric> metrics) {
    byte[] payload = SpEncoder.payload(now.toEpochMilli(), (long) seq, metrics);
    String[] parts = typeAndIds.split("/", 2);
    host.message("spBv1.0/" + G + "/" + parts[0] + "/" + parts[1], payload, false, now);
    return payload;
  }

  private static SparkplugPayload decode(byte[] b) {
    try {
      return SparkplugDecoder.decode(b);
    } catch (SparkplugFormatException e) {
      throw new AssertionError(e);
    }
  }

  private static DeviceSpec device(String id, Map<String, Object> address) {
    return new DeviceSpec(
        id, "E001", new Settings("onboard.yaml", "devices[0].address", address, k -> null));
  }

  record Refusal(String deviceId, String reason, String detail) {}

  record Published(String topic, byte[] payload) {}

  /** Keeps what the host sends out. */
  static final class Recorder implements SparkplugHost.Output {
    final List<Reading> readings = new ArrayList<>();
    final List<DeviceEvent> events = new ArrayList<>();
    final List<Refusal> refusals = new ArrayList<>();
    final List<Published> published = new ArrayList<>();

    /** Each call of readings and refuse, in order: "readings 3", "refuse UNKNOWN_ALIAS". */
    final List<String> calls = new ArrayList<>();

    @Override
    public void readings(List<Reading> batch) {
      readings.addAll(batch);
      calls.add("readings " + batch.size());
    }

    @Override
    public void event(DeviceEvent event) {
      events.add(event);
    }

    @Override
    public void refuse(
        String deviceId,
        String countKey,
        String topic,
        byte[] payload,
        String reason,
        String detail,
        DeviceEvent.Flag flag) {
      refusals.add(new Refusal(deviceId, reason, detail));
      calls.add("refuse " + reason);
      if (deviceId != null) {
        events.add(new DeviceEvent.Flagged(deviceId, T0, flag, reason));
      }
    }

    @Override
    public boolean publish(String topic, byte[] payload) {
      published.add(new Published(topic, payload));
      return true;
    }

    <T extends DeviceEvent> List<T> events(Class<T> type) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<String> flags(DeviceEvent.Flag flag) {
      return events(DeviceEvent.Flagged.class).stream()
          .filter(f -> f.flag() == flag)
          .map(DeviceEvent::deviceId)
          .toList();
    }

    DeviceIdentity identity(String deviceId) {
      return events(DeviceEvent.IdentityObserved.class).stream()
          .filter(e -> e.deviceId().equals(deviceId))
          .reduce((a, b) -> b)
          .orElseThrow()
          .identity();
    }

    List<Reading> readingsOf(String deviceId) {
      return readings.stream().filter(r -> r.deviceId().equals(deviceId)).toList();
    }

    Reading lastReading(String deviceId, String tag) {
      return readings.stream()
          .filter(r -> r.deviceId().equals(deviceId) && r.tag().equals(tag))
          .reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError("no reading " + deviceId + "/" + tag));
    }
  }
}
