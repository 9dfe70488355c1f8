package dev.salesagent.router.budget;

import java.time.Clock;
import java.util.function.Function;

/**
 * The {@link BudgetEngine} over a {@link LocalBudgetStore}: budget counters in this process only (lost on restart).
 * A reservation is atomic across the global and the key's limits.
 */
public final class InMemoryBudgetCounters extends BudgetEngine {

  public InMemoryBudgetCounters(BudgetLimits global, Function<String, BudgetLimits> perKeyLimits) {
    this(global, perKeyLimits, Clock.systemUTC());
  }

  public InMemoryBudgetCounters(BudgetLimits global, Function<String, BudgetLimits> perKeyLimits, Clock clock) {
    super(global, perKeyLimits, clock, new LocalBudgetStore());
  }

  /** No limits at all: reservations always succeed (spend is still counted). */
  public static InMemoryBudgetCounters unlimited() {
    return new InMemoryBudgetCounters(BudgetLimits.NONE, k -> BudgetLimits.NONE);
  }
}
