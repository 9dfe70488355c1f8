package dev.salesagent.server;

import dev.salesagent.router.trace.Tracing;

import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.routing.LlmRouter;
import dev.salesagent.router.routing.UsageQuery;
import dev.salesagent.router.shared.SharedRedis;
import dev.salesagent.server.auth.KeyRegistry;
import dev.salesagent.server.auth.RateLimiter;
import dev.salesagent.server.auth.SlidingWindowRateLimiter;
import dev.salesagent.server.auth.RedisTokenLimiter;
import dev.salesagent.server.auth.SlidingWindowTokenLimiter;
import dev.salesagent.server.auth.TokenRateLimiter;
import dev.salesagent.server.ops.DatabaseCheck;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ProviderStatusSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the HTTP layer calls, as ports: the app's gateway assembly wires the real ones (the router, the key
 * registry over a key store, the usage ledger's queries, the budget counters, the database check); tests pass their
 * own. {@code null} members are optional: without a database there are no keys from the store, no usage and the
 * readiness check skips the DB; {@code sharedState} is the Redis that replicas share budgets and rate limits through
 * ({@code null}: none), which {@code /readyz} reports; {@code tracing} gets a span per API request
 * ({@link Tracing#OFF}: none); {@code tokenLimiter} counts keys' tokens per minute ({@code null}: in Redis when
 * {@code sharedState} is set, else in this process).
 */
public record GatewayServices(
    LlmRouter router,
    ModelCatalog catalog,
    ProviderStatusSource providers,
    KeyRegistry keys,
    RateLimiter rateLimiter,
    UsageQuery usage,
    BudgetCounters budgets,
    DatabaseCheck db,
    PrometheusMeterRegistry registry,
    GatewayOptions options,
    SharedRedis sharedState,
    Tracing tracing,
    TokenRateLimiter tokenLimiter) {

  /** Without shared state (one replica, or tests): budgets and rate limits in this process. */
  public GatewayServices(LlmRouter router, ModelCatalog catalog, ProviderStatusSource providers, KeyRegistry keys,
                         RateLimiter rateLimiter, UsageQuery usage, BudgetCounters budgets, DatabaseCheck db,
                         PrometheusMeterRegistry registry, GatewayOptions options) {
    this(router, catalog, providers, keys, rateLimiter, usage, budgets, db, registry, options, null);
  }

  /** Without tracing ({@link Tracing#OFF}). */
  public GatewayServices(LlmRouter router, ModelCatalog catalog, ProviderStatusSource providers, KeyRegistry keys,
                         RateLimiter rateLimiter, UsageQuery usage, BudgetCounters budgets, DatabaseCheck db,
                         PrometheusMeterRegistry registry, GatewayOptions options, SharedRedis sharedState) {
    this(router, catalog, providers, keys, rateLimiter, usage, budgets, db, registry, options, sharedState, Tracing.OFF);
  }

  /** The token limiter chosen by {@code sharedState}. */
  public GatewayServices(LlmRouter router, ModelCatalog catalog, ProviderStatusSource providers, KeyRegistry keys,
                         RateLimiter rateLimiter, UsageQuery usage, BudgetCounters budgets, DatabaseCheck db,
                         PrometheusMeterRegistry registry, GatewayOptions options, SharedRedis sharedState,
                         Tracing tracing) {
    this(router, catalog, providers, keys, rateLimiter, usage, budgets, db, registry, options, sharedState, tracing, null);
  }

  public GatewayServices {
    rateLimiter = rateLimiter == null ? new SlidingWindowRateLimiter() : rateLimiter;
    if (tokenLimiter == null) {
      tokenLimiter = sharedState == null ? new SlidingWindowTokenLimiter() : new RedisTokenLimiter(sharedState);
    }
    tracing = tracing == null ? Tracing.OFF : tracing;
  }

  /** Where access lines go, {@code null} when the access log is off. */
  public Logger accessLog() {
    String name = options.accessLogger();
    return name == null ? null : LoggerFactory.getLogger(name);
  }

}
