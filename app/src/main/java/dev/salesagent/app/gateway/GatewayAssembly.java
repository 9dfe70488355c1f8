package dev.salesagent.app.gateway;

import dev.salesagent.agent.parse.ParseUseCase;
import dev.salesagent.agent.pipeline.LeadSteps;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.schema.StructuredCaller;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.budget.BudgetEngine;
import dev.salesagent.router.budget.InMemoryBudgetCounters;
import dev.salesagent.router.budget.LocalBudgetStore;
import dev.salesagent.router.budget.LocalCounters;
import dev.salesagent.router.budget.RedisBudgetStore;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.routing.UsageSink;
import dev.salesagent.router.shared.RedisClusterSync;
import dev.salesagent.router.shared.SharedEvents;
import dev.salesagent.router.trace.Tracing;
import dev.salesagent.router.shared.SharedRedis;
import dev.salesagent.server.Gateway;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.auth.KeyChanges;
import dev.salesagent.server.auth.KeyRegistry;
import dev.salesagent.server.auth.RedisKeyChanges;
import dev.salesagent.server.auth.RedisRateLimiter;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ProviderStatusSource;
import dev.salesagent.server.sales.RunsApi;
import dev.salesagent.server.sales.SalesApi;
import dev.salesagent.server.ops.RequestLogApi;
import dev.salesagent.server.sales.DraftsApi;
import dev.salesagent.server.sales.OutcomesApi;
import dev.salesagent.server.mail.UnsubscribeEndpoint;
import dev.salesagent.server.auth.SlidingWindowRateLimiter;
import dev.salesagent.agent.send.OneClickUnsubscribe;
import dev.salesagent.store.mail.JdbcSendLog;
import dev.salesagent.store.mail.JdbcSuppressionList;
import dev.salesagent.store.outcome.JdbcOutcomeQueries;
import dev.salesagent.agent.review.DraftReview;
import dev.salesagent.agent.outreach.OutreachGrounding;
import dev.salesagent.store.review.JdbiDraftStore;
import dev.salesagent.store.Database;
import dev.salesagent.store.budget.JdbcBudgetCounters;
import dev.salesagent.store.budget.JdbcBudgetStore;
import dev.salesagent.store.keys.JdbcApiKeyStore;
import dev.salesagent.store.lead.JdbiLeadRepository;
import dev.salesagent.store.lead.JdbiRunStore;
import dev.salesagent.store.ledger.JdbcUsageLedger;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway wired from its parts — the one place that knows both the HTTP server and the store: database-backed
 * keys ({@link JdbcApiKeyStore} behind the key registry), the usage ledger (the router's sink, the server's usage
 * queries), the budget counters (durable with a database, in memory without), the router runtime over them, and the
 * sales endpoints over the lead store and {@link LeadSteps}. {@link #shutdown} is the {@link Gateway}'s graceful
 * stop, which then flushes the budget counters and the ledger and closes the database.
 */
public final class GatewayAssembly {
  private static final Logger log = LoggerFactory.getLogger(GatewayAssembly.class);

  private final Gateway gateway;
  private final JdbcUsageLedger ledger;
  private final BudgetCounters budgets;

  private GatewayAssembly(Gateway gateway, JdbcUsageLedger ledger, BudgetCounters budgets) {
    this.gateway = gateway;
    this.ledger = ledger;
    this.budgets = budgets;
  }

  /**
   * Starts everything. {@code db} may be null (no keys but the bootstrap admin key, no ledger, in-memory budgets, no
   * sales endpoints). The database is owned by the caller but closed by {@link #shutdown}.
   */
  public static Future<GatewayAssembly> start(Vertx vertx, RouterConfig config, Database db, String envAdminKey,
                                              GatewayOptions options, PrometheusMeterRegistry registry) {
    return start(vertx, config, db, envAdminKey, options, registry, null);
  }

  /**
   * As above; with {@code redisUrl} ({@code SALES_AGENT_REDIS_URL}; {@code null} or blank = none) budgets and rate
   * limits are shared with every replica on that Redis ({@link RedisBudgetStore} over the durable counters,
   * {@link RedisRateLimiter}), falling back to this process's counters by {@code shared_state.policy} while it is
   * unreachable.
   */
  public static Future<GatewayAssembly> start(Vertx vertx, RouterConfig config, Database db, String envAdminKey,
                                              GatewayOptions options, PrometheusMeterRegistry registry,
                                              String redisUrl) {
    return start(vertx, config, db, envAdminKey, options, registry, redisUrl, Tracing.OFF);
  }

  /** As above, with a span per API request and per attempt going to {@code tracing} (serve: the OTEL_* variables). */
  public static Future<GatewayAssembly> start(Vertx vertx, RouterConfig config, Database db, String envAdminKey,
                                              GatewayOptions options, PrometheusMeterRegistry registry,
                                              String redisUrl, Tracing tracing) {
    SharedRedis shared = redisUrl == null || redisUrl.isBlank() ? null
        : new SharedRedis(vertx, redisUrl.trim(), config.sharedState().policy(), registry,
            config.sharedState().commandTimeoutMs());
    // key changes reach the other replicas through Redis pub/sub; without Redis, through the periodic reload
    SharedEvents events = shared == null ? null : new SharedEvents(shared);
    KeyRegistry keys = new KeyRegistry(vertx, db == null ? null : new JdbcApiKeyStore(db), envAdminKey,
        events == null ? KeyChanges.NONE : new RedisKeyChanges(events));
    if (shared != null) {
      log.info("shared state: budgets and rate limits shared through Redis at {} (shared_state.policy {})",
          shared.redacted(), shared.policy().wire());
    }
    // JDBC at start-up (the budget counters load, the ledger's writer starts): off the event loop.
    // circuit breakers and health probes too (their listeners register before the subscription starts)
    RedisClusterSync cluster = events == null ? null : new RedisClusterSync(shared, events);
    Future<Void> subscribed = events == null ? Future.succeededFuture() : events.start();
    return subscribed.compose(x -> vertx.executeBlocking(() -> {
      JdbcUsageLedger ledger = db == null ? null
          : new JdbcUsageLedger(db, 262_144, Duration.ofMillis(options.ledgerFlushMs()), options.ledgerBatchRows());
      BudgetCounters budgets;
      if (shared != null) {
        LocalCounters local = db == null ? new LocalBudgetStore()
            : new JdbcBudgetStore(db, Clock.systemUTC(), Duration.ofMinutes(15));
        budgets = new BudgetEngine(config.budgets().limits(), keys::limitsFor, Clock.systemUTC(),
            new RedisBudgetStore(shared, local, Clock.systemUTC()));
      } else {
        budgets = db == null
            ? new InMemoryBudgetCounters(config.budgets().limits(), keys::limitsFor)
            : new JdbcBudgetCounters(vertx, db, config.budgets().limits(), keys::limitsFor);
      }
      return new GatewayAssembly(null, ledger, budgets);
    }, false)).compose(parts -> {
      if (parts.ledger != null && registry != null) parts.ledger.bindTo(registry);
      RouterRuntime runtime = RouterRuntime.create(vertx, config, registry,
          parts.ledger == null ? UsageSink.NONE : parts.ledger, parts.budgets);
      if (cluster != null) runtime.shareWith(cluster, cluster);
      runtime.unifiedRouter().traceWith(tracing);
      GatewayServices services = new GatewayServices(runtime.router(), new ModelCatalog(config),
          ProviderStatusSource.fromRuntime(runtime), keys, shared == null ? null : new RedisRateLimiter(shared), parts.ledger == null ? null : parts.ledger.queries(),
          parts.budgets, db == null ? null : db::ping, registry, options, shared, tracing);
      List<AutoCloseable> resources = new ArrayList<>(4);
      if (parts.budgets instanceof AutoCloseable c) resources.add(c);
      if (parts.budgets instanceof BudgetEngine e && shared != null) resources.add(e.store());
      if (events != null) resources.add(events);
      if (shared != null) resources.add(shared);
      if (parts.ledger != null) resources.add(parts.ledger);
      if (db != null) resources.add(db);
      Predicate<HttpServerRequest> extra = either(salesApi(vertx, services, runtime, db, parts.ledger),
          parts.ledger == null ? null : new RequestLogApi(vertx, services, parts.ledger.requestLog())::handle);
      return Gateway.start(vertx, services, runtime, extra, resources)
          .map(g -> new GatewayAssembly(g, parts.ledger, parts.budgets));
    });
  }

  /** Both sets of extra endpoints, either of which may be absent. */
  private static Predicate<HttpServerRequest> either(Predicate<HttpServerRequest> a, Predicate<HttpServerRequest> b) {
    return a == null ? b : b == null ? a : a.or(b);
  }

  /** The sales endpoints (/v1/leads, /v1/parse, /v1/drafts, /v1/runs) when there is a database; none when they cannot be built. */
  private static Predicate<HttpServerRequest> salesApi(Vertx vertx, GatewayServices services, RouterRuntime runtime,
                                                       Database db, JdbcUsageLedger ledger) {
    if (db == null) return null;
    try {
      JdbiLeadRepository leads = new JdbiLeadRepository(db);
      ScoringConfig scoring = ScoringConfig.defaults();
      JdbiRunStore runStore = new JdbiRunStore(db);
      DraftReview review = new DraftReview(new JdbiDraftStore(db), leads, new OutreachGrounding(scoring), Clock.systemUTC());
      LeadSteps steps = LeadSteps.over(vertx, runtime.router(), scoring, leads, runStore)
          .withReviews(review.exportReviews());
      SalesApi api = new SalesApi(vertx, services, leads, steps, new ParseUseCase(new StructuredCaller(runtime.router())));
      DraftsApi drafts = new DraftsApi(vertx, services, review);
      RunsApi runs = new RunsApi(vertx, services, runStore);
      Predicate<HttpServerRequest> sales = api::handle;
      OutcomesApi outcomes = new OutcomesApi(vertx, services, new JdbcOutcomeQueries(db, ledger));
      UnsubscribeEndpoint unsubscribe = new UnsubscribeEndpoint(vertx, services,
          new OneClickUnsubscribe(new JdbcSendLog(db), new JdbcSuppressionList(db)), new SlidingWindowRateLimiter());
      return sales.or(drafts::handle).or(outcomes::handle).or(runs::handle).or(unsubscribe::handle);
    } catch (RuntimeException e) {
      log.error("sales endpoints unavailable: {}", e.toString());
      return null;
    }
  }

  public Gateway gateway() { return gateway; }

  public int port() { return gateway.port(); }

  public RouterRuntime runtime() { return gateway.runtime(); }

  /** The durable usage ledger, {@code null} without a database. */
  public JdbcUsageLedger ledger() { return ledger; }

  public KeyRegistry keys() { return gateway.services().keys(); }

  public BudgetCounters budgets() { return budgets; }

  public GatewayOptions options() { return gateway.options(); }

  /** Graceful stop (idempotent): see {@link Gateway#shutdown}. */
  public Future<Void> shutdown(Duration grace) {
    return gateway.shutdown(grace);
  }
}
