package dev.salesagent.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MoneyTest {

  /** The definition: the double's shortest decimal form, half up to 9 places, trailing zeros dropped. */
  private static BigDecimal reference(double v) {
    return BigDecimal.valueOf(v).setScale(9, RoundingMode.HALF_UP).stripTrailingZeros();
  }

  @Test
  void formatsPlainDecimalsWithAtMostNinePlaces() {
    assertThat(Money.usd(0)).isEqualTo("0");
    assertThat(Money.usd(0.000123)).isEqualTo("0.000123");
    assertThat(Money.usd(1.5)).isEqualTo("1.5");
    assertThat(Money.usd(2000)).isEqualTo("2000");
    assertThat(Money.usd(1e-12)).isEqualTo("0");
    assertThat(Money.usd(0.0000000015)).isEqualTo("0.000000002"); // half up
    assertThat(Money.usd(12345678.123456789)).isEqualTo("12345678.12345679"); // what the double holds
    assertThat(Money.usd(1e-7)).doesNotContain("E");
  }

  @Test
  void sameDigitsAsTheDecimalDefinitionForPricesTimesTokens() {
    double[] perMillion = {0.05, 0.10, 0.15, 0.27, 0.6, 0.8, 1.1, 2.5, 3, 4.4, 10, 15, 75};
    for (double in : perMillion) {
      for (double out : perMillion) {
        for (int tokens = 0; tokens < 5000; tokens += 7) {
          double cost = tokens * in / 1e6 + (tokens / 3) * out / 1e6 + (tokens % 11) * in / 1e7;
          assertThat(Money.usdNumber(cost)).as("cost %s", cost).isEqualTo(reference(cost));
        }
      }
    }
  }

  @Test
  void sameDigitsAsTheDecimalDefinitionForRandomAmounts() {
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      double v = Math.pow(10, r.nextDouble(-12, 7)) * r.nextDouble();
      if (i % 5 == 0) v = Math.round(v * 1e10) / 1e10 + 5e-10; // near a half billionth on purpose
      assertThat(Money.usdNumber(v)).as("amount %s", v).isEqualTo(reference(v));
    }
  }
}
