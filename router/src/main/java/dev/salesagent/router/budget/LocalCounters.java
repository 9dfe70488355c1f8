package dev.salesagent.router.budget;

import java.util.Collection;
import java.util.Map;

/**
 * A {@link BudgetStore} in this process that a shared store ({@link RedisBudgetStore}) keeps beside it: the record
 * of what the shared store decided (written behind to the database when durable), the view {@code counts} reads,
 * the counters to fall back on while the shared store is unreachable, and what it is restored from.
 */
public interface LocalCounters extends BudgetStore {

  /** Holds {@code claim} under {@code reservationId} without checking limits: the shared store took it already. */
  void recordTaken(String reservationId, BudgetClaim claim);

  /**
   * The counters of these periods ({@code [spent, reserved]}) as the durable record has them, after writing what
   * this process still has pending — what an emptied shared store is seeded with. Blocking (a database read).
   */
  Map<CounterKey, long[]> durableCounters(Collection<String> periodKeys);
}
