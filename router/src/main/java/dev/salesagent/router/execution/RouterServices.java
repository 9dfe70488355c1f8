package dev.salesagent.router.execution;

import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.metrics.RouterMetrics;
import dev.salesagent.router.resilience.Backoff;
import dev.salesagent.router.routing.UsageSink;
import dev.salesagent.router.tokens.TokenEstimator;
import io.vertx.core.Vertx;

/** What every request executed by one {@link UnifiedRouter} shares: built once per router, never per request. */
record RouterServices(
    Vertx vertx,
    LiveState state,
    RouterConfig config,
    RouterMetrics metrics,
    UsageSink usageSink,
    BudgetCounters budgets,
    TokenEstimator tokens,
    Backoff backoff) {}
