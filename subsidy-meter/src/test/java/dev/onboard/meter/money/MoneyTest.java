package dev.onboard.meter.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void yuan_amounts_parse_to_exact_fen_and_print_with_two_decimals() {
    assertThat(Money.parseYuan("1999.50").fen()).isEqualTo(199_950);
    assertThat(Money.parseYuan("12").fen()).isEqualTo(1_200);
    assertThat(Money.parseYuan("0.5").toYuanString()).isEqualTo("0.50");
    assertThat(Money.parseYuan("-3.05").toYuanString()).isEqualTo("-3.05");
    assertThat(Money.ofYuan(100_000).toYuanString()).isEqualTo("100000.00");
  }

  @Test
  void amounts_with_three_decimals_or_an_exponent_are_rejected_with_the_text() {
    assertThatThrownBy(() -> Money.parseYuan("1.005"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"1.005\" is not an amount in yuan");
    assertThatThrownBy(() -> Money.parseYuan("1e3")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.parseYuan("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void arithmetic_that_would_overflow_throws_instead_of_wrapping() {
    Money big = Money.ofFen(Long.MAX_VALUE);
    assertThatThrownBy(() -> big.plus(Money.ofFen(1))).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Money.ofFen(Long.MIN_VALUE).minus(Money.ofFen(1)))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void cross_cutting_a_rate_times_an_amount_rounds_half_up_to_the_fen_once() {
    // 0.05 yuan × 50% = 2.5 fen → 3 fen; 0.03 × 50% = 1.5 → 2; 0.01 × 30% = 0.3 → 0.
    assertThat(Money.parseYuan("0.05").times(Rate.percent(50)).fen()).isEqualTo(3);
    assertThat(Money.parseYuan("0.03").times(Rate.percent(50)).fen()).isEqualTo(2);
    assertThat(Money.parseYuan("0.01").times(Rate.percent(30)).fen()).isZero();
    assertThat(Money.parseYuan("1234.57").times(Rate.percent(80)).toYuanString())
        .isEqualTo("987.66");
  }

  @Test
  void rates_are_exact_decimals_and_compare_ratios_without_floating_point() {
    Rate sixty = Rate.parse("60%");
    assertThat(sixty).isEqualTo(Rate.parse("0.60")).isEqualTo(Rate.percent(60));
    assertThat(sixty.value()).isEqualByComparingTo(new BigDecimal("0.6"));
    assertThat(sixty.isMetBy(6, 10)).isTrue();
    assertThat(sixty.isMetBy(5_999_999, 10_000_000)).isFalse();
    assertThatThrownBy(() -> Rate.parse("-1")).hasMessageContaining("negative");
    assertThatThrownBy(() -> Rate.parse("sixty")).hasMessageContaining("is not a rate");
  }

  @Test
  void parsing_by_hand_accepts_exactly_what_the_documented_pattern_accepts() {
    java.util.regex.Pattern yuan = java.util.regex.Pattern.compile("-?[0-9]{1,15}(\\.[0-9]{1,2})?");
    java.util.Random r = new java.util.Random(42);
    String alphabet = "-0123456789.e ";
    for (int k = 0; k < 200_000; k++) {
      StringBuilder t = new StringBuilder();
      int len = r.nextInt(19);
      for (int j = 0; j < len; j++) {
        t.append(alphabet.charAt(r.nextInt(r.nextInt(4) == 0 ? alphabet.length() : 11)));
      }
      String text = t.toString();
      if (yuan.matcher(text).matches()) {
        long expected = new java.math.BigDecimal(text).movePointRight(2).longValueExact();
        assertThat(Money.parseYuan(text).fen()).as(text).isEqualTo(expected);
      } else {
        assertThatThrownBy(() -> Money.parseYuan(text))
            .as(text)
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }
}
