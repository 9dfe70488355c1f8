package dev.salesagent.server;

import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.budget.InMemoryBudgetCounters;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.routing.UsageSink;
import dev.salesagent.server.auth.KeyRegistry;
import dev.salesagent.server.routing.ModelCatalog;
import dev.salesagent.server.routing.ProviderStatusSource;
import dev.salesagent.store.Database;
import dev.salesagent.store.budget.JdbcBudgetCounters;
import dev.salesagent.store.keys.ApiKeyStore;
import dev.salesagent.store.ledger.JdbcUsageLedger;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole gateway wired: database-backed keys, usage ledger and budget counters, the router runtime, and the HTTP
 * server. {@link #shutdown} is the graceful stop: stop accepting, let in-flight requests and streams finish (bounded),
 * close the router, then flush the ledger and the budget counters and close the database.
 */
public final class Gateway {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final Database db;
  private final JdbcUsageLedger ledger;
  private final BudgetCounters budgets;
  private final KeyRegistry keys;
  private final RouterRuntime runtime;
  private final GatewayServer server;
  private final GatewayOptions options;
  private volatile Future<Void> stopping;

  private Gateway(Vertx vertx, Database db, JdbcUsageLedger ledger, BudgetCounters budgets, KeyRegistry keys,
                  RouterRuntime runtime, GatewayServer server, GatewayOptions options) {
    this.vertx = vertx;
    this.db = db;
    this.ledger = ledger;
    this.budgets = budgets;
    this.keys = keys;
    this.runtime = runtime;
    this.server = server;
    this.options = options;
  }

  /**
   * Starts everything. {@code db} may be null (no keys but the bootstrap admin key, no ledger, in-memory budgets).
   * The database is owned by the caller but closed by {@link #shutdown}.
   */
  public static Future<Gateway> start(Vertx vertx, RouterConfig config, Database db, String envAdminKey,
                                      GatewayOptions options, PrometheusMeterRegistry registry) {
    KeyRegistry keys = new KeyRegistry(vertx, db == null ? null : new ApiKeyStore(db), envAdminKey);
    return vertx.executeBlocking(() -> {
      JdbcUsageLedger ledger = db == null ? null
          : new JdbcUsageLedger(db, 262_144, Duration.ofMillis(options.ledgerFlushMs()), options.ledgerBatchRows());
      BudgetCounters budgets = db == null
          ? new InMemoryBudgetCounters(config.budgets().limits(), keys::limitsFor)
          : new JdbcBudgetCounters(vertx, db, config.budgets().limits(), keys::limitsFor);
      return new Object[] {ledger, budgets};
    }, false).compose(parts -> {
      JdbcUsageLedger ledger = (JdbcUsageLedger) parts[0];
      BudgetCounters budgets = (BudgetCounters) parts[1];
      UsageSink sink = ledger == null ? UsageSink.NONE : ledger;
      if (ledger != null && registry != null) ledger.bindTo(registry);
      RouterRuntime runtime = RouterRuntime.create(vertx, config, registry, sink, budgets);
      GatewayServices services = new GatewayServices(runtime.router(), new ModelCatalog(config),
          ProviderStatusSource.fromRuntime(runtime), keys, null, ledger == null ? null : ledger.queries(), budgets, db,
          registry, options);
      return keys.start()
          .compose(v -> runtime.startHealthChecks().otherwiseEmpty())
          .compose(v -> GatewayServer.start(vertx, services, salesApi(vertx, services, runtime, db)))
          .map(server -> new Gateway(vertx, db, ledger, budgets, keys, runtime, server, options));
    });
  }

  /** The sales endpoints (/v1/leads, /v1/parse) when there is a database; none when they cannot be built. */
  private static java.util.function.Predicate<io.vertx.core.http.HttpServerRequest> salesApi(
      Vertx vertx, GatewayServices services, RouterRuntime runtime, Database db) {
    if (db == null) return null;
    try {
      var api = new dev.salesagent.server.sales.SalesApi(vertx, services, runtime.router(),
          dev.salesagent.agent.qualify.ScoringConfig.defaults(), new dev.salesagent.store.lead.JdbiLeadRepository(db),
          new dev.salesagent.store.lead.JdbiRunStore(db));
      return api::handle;
    } catch (RuntimeException e) {
      log.error("sales endpoints unavailable: {}", e.toString());
      return null;
    }
  }

  public int port() { return server.port(); }

  public RouterRuntime runtime() { return runtime; }

  public JdbcUsageLedger ledger() { return ledger; }

  public KeyRegistry keys() { return keys; }

  public BudgetCounters budgets() { return budgets; }

  /** Graceful stop (idempotent): see the class comment. */
  public synchronized Future<Void> shutdown(Duration grace) {
    if (stopping != null) return stopping;
    log.info("gateway stopping: finishing in-flight requests (up to {} ms)", grace.toMillis());
    stopping = server.shutdown(grace).otherwiseEmpty().compose(v -> vertx.executeBlocking(() -> {
      keys.close();
      try {
        runtime.close();
      } catch (RuntimeException e) {
        log.warn("router close failed", e);
      }
      if (budgets instanceof JdbcBudgetCounters j) j.close();
      if (ledger != null) ledger.close();
      if (db != null) db.close();
      log.info("gateway stopped: ledger flushed");
      return (Void) null;
    }, false));
    return stopping;
  }

  public GatewayOptions options() { return options; }
}
