package dev.onboard.meter.policy;

import dev.onboard.meter.money.Rate;
import java.util.List;
import java.util.Objects;

/**
 * The ratio of cost a cost-ratio policy pays: one fixed rate, or a rate per service year (P5: 80% /
 * 50% / 20% for years 1 / 2 / 3, 0 after).
 *
 * <p>Immutable and thread-safe.
 *
 * @param rates the fixed rate (one element) or the rate of service year 1, 2, … in order
 * @param byServiceYear whether the rate depends on the service year
 */
public record RateSchedule(List<Rate> rates, boolean byServiceYear) {

  /** Checks and copies the rates. */
  public RateSchedule {
    rates = List.copyOf(Objects.requireNonNull(rates, "rates"));
    if (rates.isEmpty()) {
      throw new IllegalArgumentException("a rate schedule needs at least one rate");
    }
  }

  /** One rate for every claim. */
  public static RateSchedule fixed(Rate rate) {
    return new RateSchedule(List.of(rate), false);
  }

  /** Rates for service years 1, 2, …; zero after the last. */
  public static RateSchedule perServiceYear(Rate... rates) {
    return new RateSchedule(List.of(rates), true);
  }

  /** The rate for a claim in its {@code serviceYear} (1 = first year of service). */
  public Rate rateFor(int serviceYear) {
    if (!byServiceYear) {
      return rates.get(0);
    }
    if (serviceYear < 1 || serviceYear > rates.size()) {
      return Rate.percent(0);
    }
    return rates.get(serviceYear - 1);
  }
}
