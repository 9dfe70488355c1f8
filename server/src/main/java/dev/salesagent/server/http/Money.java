package dev.salesagent.server.http;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** USD amounts as text: plain decimal, at most 9 places, no exponent ({@code 0.000123}). */
public final class Money {
  private Money() {}

  /** Below this the amount in billionths, as a double, is exact to 1.2e-4 of a billionth: see {@link #usdNumber}. */
  private static final double FAST_LIMIT = 1000;
  /** How close to a half billionth the fast path gives way to the exact decimal one. */
  private static final double HALF_GUARD = 1e-3;

  public static String usd(double v) {
    if (v == 0) return "0";
    return usdNumber(v).toPlainString();
  }

  /**
   * As a JSON number value: the double's shortest decimal form rounded half up to 9 places, trailing zeros dropped.
   * Every answer carries a cost or two, and {@code Double.toString} is the slow part of that; amounts under $1000 are
   * rounded from the double times 10⁹ instead, which gives the same digits unless the product sits within
   * {@value #HALF_GUARD} of a half billionth — those, and larger amounts, take the decimal path.
   */
  public static BigDecimal usdNumber(double v) {
    if (v >= 0 && v < FAST_LIMIT) {
      double billionths = v * 1e9;
      double floor = Math.floor(billionths);
      double frac = billionths - floor;
      if (Math.abs(frac - 0.5) > HALF_GUARD) {
        long n = (long) floor + (frac > 0.5 ? 1 : 0);
        return BigDecimal.valueOf(n, 9).stripTrailingZeros();
      }
    }
    return BigDecimal.valueOf(v).setScale(9, RoundingMode.HALF_UP).stripTrailingZeros();
  }
}
