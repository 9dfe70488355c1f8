package dev.salesagent.server.http;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** USD amounts as text: plain decimal, at most 9 places, no exponent ({@code 0.000123}). */
public final class Money {
  private Money() {}

  public static String usd(double v) {
    if (v == 0) return "0";
    return BigDecimal.valueOf(v).setScale(9, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  /** As a JSON number value. */
  public static BigDecimal usdNumber(double v) {
    return BigDecimal.valueOf(v).setScale(9, RoundingMode.HALF_UP).stripTrailingZeros();
  }
}
