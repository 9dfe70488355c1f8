package dev.salesagent.router.budget;

import io.vertx.core.Future;

/**
 * Where budget counters live — the {@link BudgetEngine} decides what to claim, the store applies it: in this process
 * ({@link LocalBudgetStore}), written behind to a database ({@code store/budget/JdbcBudgetStore}), or in a shared
 * store whose own atomic operation (a Redis script, say) does the check-and-add. Amounts are whole nano-dollars
 * ({@link UsdNanos}). Every method is non-blocking.
 */
public interface BudgetStore extends AutoCloseable {
  /** As {@code spentNanos} of {@link #finish}: charge what the reservation held. */
  long RESERVED = -1;

  /**
   * Atomically: when every limited line of {@code claim} has room for its amount, adds the amount to the reserved
   * total of every line and holds it under {@code reservationId}; otherwise changes nothing and names the first line
   * without room.
   */
  Future<BudgetClaim.Outcome> reserve(String reservationId, BudgetClaim claim);

  /**
   * Ends a held reservation: its amount leaves the reserved totals and {@code spentNanos} (or, for {@link #RESERVED},
   * its own amount) is added to the spent ones, on the counters it was taken on (whatever the date is now). Unknown
   * or already ended ids are ignored.
   */
  Future<Void> finish(String reservationId, long spentNanos);

  /**
   * The counter's {@code [spent, reserved]} nano-dollars as this process knows them: exact for a local store, as of
   * the last refresh for a shared one (planning may be approximate; {@link #reserve} is what enforces).
   */
  long[] counts(CounterKey key);

  /** {@code spent + reserved} of the counter, as {@link #counts} knows it; allocates nothing (planning reads it). */
  long used(CounterKey key);

  /** Writes what is still pending (a durable store) and lets go of resources. Blocking. */
  @Override
  default void close() {}
}
