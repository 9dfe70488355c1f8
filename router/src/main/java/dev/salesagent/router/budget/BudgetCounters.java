package dev.salesagent.router.budget;

import io.vertx.core.Future;

/**
 * Spend counters behind the budgets (global and per API key, per UTC day and month). The router reserves the
 * estimated cost of an attempt before sending it, then settles the reservation with the cost of the usage the
 * provider reported (or releases it when nothing was spent). Implementations must be atomic across the limits they
 * check: a reservation is either taken in every applicable limit or in none. Every method is non-blocking.
 *
 * <p>Periods roll over at UTC midnight (day) and the first of the month (month).
 */
public interface BudgetCounters {

  /**
   * Checks every applicable limit (global daily and monthly, and the key's when {@code apiKeyIdOrNull} is given) and
   * reserves {@code usd} in all of them, or fails with an {@link dev.salesagent.router.error.LlmException} of kind
   * {@code budget_exceeded} whose message names the budget and how much is left.
   */
  Future<Reservation> reserve(String reservationId, String apiKeyIdOrNull, double usd);

  /** Replaces the reserved amount with the actual cost. Unknown or already settled ids are ignored. */
  Future<Void> settle(String reservationId, double actualUsd);

  /** Drops a reservation without spending anything. Unknown ids are ignored. */
  Future<Void> release(String reservationId);

  /** Spent, reserved and remaining amounts for the global scope and, when given, the key. */
  Future<BudgetSnapshot> snapshot(String apiKeyIdOrNull);

  /**
   * How much may still be reserved right now by the given key (the minimum over every applicable limit), or
   * {@link Double#POSITIVE_INFINITY} when unlimited. Planning uses it to skip targets the budget cannot afford; it
   * may be approximate (a cached value), the reservation is what enforces.
   */
  default double remainingUsd(String apiKeyIdOrNull) {
    return Double.POSITIVE_INFINITY;
  }

  /** A reservation taken by {@link #reserve}. */
  record Reservation(String id, String apiKeyId, double usd) {}
}
