package dev.salesagent.router.budget;

/**
 * USD limits for one scope (global or one API key). {@code null} (or infinity) = no limit for that period; NaN is
 * refused like a negative amount.
 *
 * @param dailyUsd   limit per UTC day
 * @param monthlyUsd limit per UTC calendar month
 */
public record BudgetLimits(Double dailyUsd, Double monthlyUsd) {
  public static final BudgetLimits NONE = new BudgetLimits(null, null);

  public BudgetLimits {
    if (dailyUsd != null && !(dailyUsd >= 0)) throw new IllegalArgumentException("daily_usd must be a number >= 0");
    if (monthlyUsd != null && !(monthlyUsd >= 0)) throw new IllegalArgumentException("monthly_usd must be a number >= 0");
  }

  public boolean unlimited() {
    return dailyUsd == null && monthlyUsd == null;
  }
}
