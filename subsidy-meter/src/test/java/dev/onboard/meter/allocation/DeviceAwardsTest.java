package dev.onboard.meter.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onboard.meter.inventory.Device;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.policy.BuiltinPolicies;
import dev.onboard.meter.verification.RuleOutcome;
import dev.onboard.meter.verification.Verification;
import dev.onboard.meter.verification.VerificationRule;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The per-device allocation's compact result: rows made in batches by the iterator equal rows read
 * one by one, and ids compared by their packed keys order as Strings do.
 */
class DeviceAwardsTest {

  @Test
  void iterating_a_thousand_rows_in_batches_gives_the_rows_read_one_by_one() {
    Random r = new Random(7);
    List<Enterprise> enterprises = new ArrayList<>();
    for (int e = 0; e < 30; e++) {
      enterprises.add(Enterprise.of("E" + (29 - e), "F", "huangpu", true, true, true, false));
    }
    List<DeviceClaim> claims = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      Enterprise e = enterprises.get(r.nextInt(enterprises.size()));
      Device d =
          new Device(
              "D" + r.nextInt(1_000_000) + "-" + i,
              e.id(),
              "id-" + i,
              r.nextInt(5) == 0 ? null : Money.ofFen(r.nextInt(300_000)),
              LocalDate.of(2024, 1, 1));
      Verification v =
          r.nextBoolean()
              ? new Verification(
                  Verification.State.VERIFIED,
                  LocalDate.of(2024, 3, 1 + r.nextInt(28)),
                  new BigDecimal("0.9000"),
                  List.of())
              : new Verification(
                  Verification.State.NOT_VERIFIED,
                  LocalDate.of(2024, 3, 1),
                  new BigDecimal("0.1000"),
                  List.of(
                      new RuleOutcome(VerificationRule.ONLINE_RATIO, false, "online ratio low")));
      claims.add(new DeviceClaim(d, e, v));
    }

    List<Award> awards =
        DeviceAllocator.allocate(
            BuiltinPolicies.HUANGPU_DEVICE_2019,
            2024,
            LocalDate.of(2024, 12, 31),
            claims,
            List.of());

    List<Award> oneByOne = IntStream.range(0, awards.size()).mapToObj(awards::get).toList();
    List<Award> iterated = new ArrayList<>();
    awards.forEach(iterated::add);
    assertThat(awards).hasSize(1_000);
    assertThat(iterated).isEqualTo(oneByOne);
    assertThat(iterated.get(0).enterpriseId()).isEqualTo("E0");
    assertThat(iterated.get(999).enterpriseId()).isEqualTo("E9");
  }

  @Test
  void ids_compared_by_their_packed_keys_order_as_strings_do() {
    Random r = new Random(11);
    char[] alphabet = {'\0', 'A', 'B', 'z', 'ÿ', '中', '0'};
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder s = new StringBuilder();
      int length = r.nextInt(11);
      for (int k = 0; k < length; k++) {
        s.append(alphabet[r.nextInt(k < 6 ? 3 : alphabet.length)]);
      }
      ids.add(s.toString());
    }
    int decided = 0;
    for (String a : ids) {
      for (String b : ids) {
        int byKey =
            Integer.signum(
                DeviceAllocator.compareKeys(DeviceAllocator.idKey(a), DeviceAllocator.idKey(b)));
        if (byKey != 0) {
          decided++;
          assertThat(byKey).as("%s vs %s", a, b).isEqualTo(Integer.signum(a.compareTo(b)));
        }
      }
    }
    assertThat(decided).isGreaterThan(100_000);
  }
}
