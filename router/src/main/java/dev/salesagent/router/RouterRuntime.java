package dev.salesagent.router;

import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.budget.InMemoryBudgetCounters;
import dev.salesagent.router.classify.TaskClassifier;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.execution.LiveState.ProviderRuntime;
import dev.salesagent.router.execution.LiveState.TargetRuntime;
import dev.salesagent.router.execution.LiveState;
import dev.salesagent.router.execution.UnifiedRouter;
import dev.salesagent.router.health.HealthChecker;
import dev.salesagent.router.health.HealthState;
import dev.salesagent.router.health.ProbeSync;
import dev.salesagent.router.resilience.CircuitSync;
import dev.salesagent.router.resilience.SharedCircuits;
import dev.salesagent.router.metrics.RouterMetrics;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.provider.ModelSpec;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.registry.Providers;
import dev.salesagent.router.routing.LlmRouter;
import dev.salesagent.router.routing.UsageSink;
import dev.salesagent.router.strategy.Planner;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The router assembled: planner, live state (adapters, circuit breakers, health, limits), the unified router, health
 * checks and metrics. One per process; {@link #close()} stops probes and closes the adapters.
 */
public final class RouterRuntime implements AutoCloseable {
  private final Vertx vertx;
  private final RouterConfig config;
  private final LiveState state;
  private final UnifiedRouter router;
  private final RouterMetrics metrics;
  private final HealthChecker health;
  private final BudgetCounters budgets;
  private SharedCircuits shared;

  /** Whether the planner's decisions depend on exact token counts: the default strategy ranks targets by cost. */
  static boolean wantsExactCounts(RouterConfig config) {
    return "cost".equals(config.defaultStrategy());
  }

  private RouterRuntime(Vertx vertx, RouterConfig config, MeterRegistry registry, UsageSink usageSink, BudgetCounters budgets,
                        Function<ProviderSettings, ProviderAdapter> adapterFactory) {
    this.vertx = vertx;
    this.config = config;
    this.budgets = budgets != null ? budgets : new InMemoryBudgetCounters(config.budgets().limits(), k -> null);
    this.metrics = new RouterMetrics(registry == null ? new SimpleMeterRegistry() : registry);
    // The BPE vocabulary (~28 MB of live heap) loads at start, in the background, only when the configuration ranks by
    // cost; otherwise counts are 4 characters per token and a gateway on the task strategy never pays for it. Nothing
    // a request does loads it (TokenEstimator: the load's garbage collections pause every event loop).
    if (wantsExactCounts(config)) dev.salesagent.router.tokens.TokenEstimator.defaultEstimator().preload();
    Planner planner = new Planner(config);
    this.state = new LiveState(config, planner, pc -> adapterFactory.apply(pc.settings()), this.budgets);
    this.router = new UnifiedRouter(vertx, state, metrics, usageSink, TaskClassifier.fromConfig(config));
    List<HealthChecker.Probed> probed = new ArrayList<>();
    for (ProviderRuntime p : state.providers()) {
      if (p.adapter != null) probed.add(new HealthChecker.Probed(p.adapter, p.health));
      metrics.healthGauge(p.name(), () -> switch (p.health.state()) {
        case HEALTHY -> 1.0;
        case DEGRADED -> 0.5;
        case DOWN -> 0.0;
        case UNCONFIGURED -> -1.0;
      });
    }
    for (TargetRuntime t : state.targets()) {
      metrics.circuitGauge(t.ref.providerName(), t.ref.model(), () -> switch (t.breaker.getState()) {
        case CLOSED -> 0;
        case HALF_OPEN -> 1;
        case OPEN, FORCED_OPEN -> 2; // forced open: held open while another replica probes
        default -> 3;
      });
    }
    BudgetCounters b = this.budgets;
    metrics.budgetGauge(() -> {
      double r = b.remainingUsd(null);
      return r == Double.POSITIVE_INFINITY ? -1 : r;
    });
    long probeTimeout = Math.min(config.resilience().timeouts().firstTokenMs(), Math.max(1000, config.health().probeIntervalMs()));
    this.health = new HealthChecker(vertx, probed, config.health().probeIntervalMs(), config.health().probeJitterMs(), probeTimeout);
  }

  /**
   * The runtime with the built-in providers' adapters ({@link Providers#BUILT_IN}). {@code budgets} null = in-memory
   * global limits.
   */
  public static RouterRuntime create(Vertx vertx, RouterConfig config, MeterRegistry registry, UsageSink usageSink, BudgetCounters budgets) {
    return create(vertx, config, registry, usageSink, budgets, s -> Providers.BUILT_IN.adapter(vertx, s));
  }

  /** With adapters from {@code adapterFactory} (tests, benchmarks). Only configured providers get an adapter. */
  public static RouterRuntime create(Vertx vertx, RouterConfig config, MeterRegistry registry, UsageSink usageSink,
                                     BudgetCounters budgets, Function<ProviderSettings, ProviderAdapter> adapterFactory) {
    return new RouterRuntime(vertx, config, registry, usageSink, budgets, adapterFactory);
  }

  public LlmRouter router() { return router; }

  /** The router's concrete type, for plan explanations ({@code UnifiedRouter#plan}). */
  public UnifiedRouter unifiedRouter() { return router; }

  public RouterConfig config() { return config; }

  public BudgetCounters budgets() { return budgets; }

  public LiveState state() { return state; }

  public RouterMetrics metrics() { return metrics; }

  /**
   * Shares circuit breakers and health probes with the other replicas (call once, before the health checks start);
   * without it the runtime keeps them to itself.
   */
  public void shareWith(CircuitSync circuits, ProbeSync probes) {
    java.util.Map<String, CircuitBreaker> byTarget = new java.util.HashMap<>();
    for (TargetRuntime t : state.targets()) byTarget.put(t.breaker.getName(), t.breaker);
    this.shared = new SharedCircuits(vertx, circuits, config.resilience().circuitBreaker().openMs(), byTarget);
    health.share(probes);
  }

  /** Probes every configured provider now and then on the configured interval; completes after the first round. */
  public Future<Void> startHealthChecks() {
    return health.start();
  }

  public List<ProviderStatus> providers() {
    long now = System.nanoTime();
    List<ProviderStatus> out = new ArrayList<>();
    TargetRuntime[] targets = state.targets();
    for (ProviderRuntime p : state.providers()) {
      List<ProviderStatus.TargetStatus> models = new ArrayList<>();
      for (TargetRuntime t : targets) {
        if (!t.ref.providerName().equals(p.name())) continue;
        ModelSpec s = t.ref.spec();
        List<String> caps = new ArrayList<>();
        for (Capability c : Capability.values()) if (s.has(c)) caps.add(c.wire());
        long openMs = state.openRemainingMs(t, now);
        float fr = t.breaker.getMetrics().getFailureRate();
        models.add(new ProviderStatus.TargetStatus(s.id(), s.contextWindow(), s.inputUsdPerMtok(), s.outputUsdPerMtok(),
            s.cachedInputUsdPerMtok(), caps, circuitName(t.breaker.getState()), openMs < 0 ? null : openMs,
            fr < 0 ? null : (double) fr, nan(t.latencyEwmaMs()), nan(t.ttftEwmaMs()),
            t.lastChange() == null ? null : java.time.Instant.ofEpochMilli(t.lastChange().atEpochMillis()).toString(),
            t.lastChange() == null ? null : t.lastChange().reason()));
      }
      HealthState hs = p.health.state();
      out.add(new ProviderStatus(p.name(), p.config.settings().kind().wire(), hs.wire(), p.health.reason(),
          p.config.settings().baseUrl(), p.config.configured(), nan(p.latencyEwmaMs()), p.health.lastProbe(), models));
    }
    return out;
  }

  private static String circuitName(CircuitBreaker.State s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  private static Double nan(double d) {
    return Double.isNaN(d) ? null : Math.round(d * 10) / 10.0;
  }

  @Override
  public void close() {
    health.stop();
    if (shared != null) shared.stop();
    for (ProviderRuntime p : state.providers()) {
      if (p.adapter != null) {
        try {
          p.adapter.close();
        } catch (RuntimeException ignore) {
          // closing is best effort
        }
      }
    }
  }
}
