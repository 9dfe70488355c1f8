package dev.salesagent.store.budget;

import dev.salesagent.router.budget.BudgetEngine;
import dev.salesagent.router.budget.BudgetLimits;
import dev.salesagent.store.Database;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * The router's {@link BudgetEngine} over a {@link JdbcBudgetStore}: the same decisions as in memory, with the
 * counters written behind to the database and loaded again at start (see {@link JdbcBudgetStore} for durability and
 * several replicas).
 *
 * <p>The per-key limit function is called on the event loop: it must not block (the gateway passes its key cache).
 */
public final class JdbcBudgetCounters extends BudgetEngine implements AutoCloseable {
  private final JdbcBudgetStore store;

  public JdbcBudgetCounters(Vertx vertx, Database db, BudgetLimits global,
                            Function<String, BudgetLimits> perKeyLimits) {
    this(vertx, db, global, perKeyLimits, Clock.systemUTC(), Duration.ofMinutes(15));
  }

  /** Blocking (loads the counters, releases stale reservations): construct at start-up, off the event loop. */
  public JdbcBudgetCounters(Vertx vertx, Database db, BudgetLimits global,
                            Function<String, BudgetLimits> perKeyLimits, Clock clock, Duration staleAfter) {
    this(new JdbcBudgetStore(db, clock, staleAfter), global, perKeyLimits, clock);
  }

  private JdbcBudgetCounters(JdbcBudgetStore store, BudgetLimits global, Function<String, BudgetLimits> perKeyLimits,
                             Clock clock) {
    super(global, perKeyLimits, clock, store);
    this.store = store;
  }

  /** Writes what is pending now. Blocking. */
  public void flush() {
    store.flush();
  }

  /** Writes everything pending and stops the writer. Idempotent. */
  @Override
  public void close() {
    store.close();
  }
}
