package dev.salesagent.router.budget;

/**
 * USD limits for one scope (global or one API key). {@code null} = no limit for that period.
 *
 * @param dailyUsd   limit per UTC day
 * @param monthlyUsd limit per UTC calendar month
 */
public record BudgetLimits(Double dailyUsd, Double monthlyUsd) {
  public static final BudgetLimits NONE = new BudgetLimits(null, null);

  public BudgetLimits {
    if (dailyUsd != null && dailyUsd < 0) throw new IllegalArgumentException("daily_usd must not be negative");
    if (monthlyUsd != null && monthlyUsd < 0) throw new IllegalArgumentException("monthly_usd must not be negative");
  }

  public boolean unlimited() {
    return dailyUsd == null && monthlyUsd == null;
  }
}
