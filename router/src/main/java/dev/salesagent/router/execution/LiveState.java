package dev.salesagent.router.execution;

import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.config.RouterConfig.ProviderConfig;
import dev.salesagent.router.health.HealthState;
import dev.salesagent.router.health.ProviderHealth;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.strategy.Planner;
import dev.salesagent.router.strategy.StateView;
import dev.salesagent.router.strategy.TargetRef;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The router's live state: per provider its adapter, health, bulkhead and client-side rate limiters; per target its
 * circuit breaker and latency EWMAs. Implements {@link StateView} for planning with volatile reads only.
 */
public final class LiveState implements StateView {
  private static final double ALPHA = 0.2;

  /** One provider at run time. */
  public static final class ProviderRuntime {
    public final ProviderConfig config;
    public final ProviderAdapter adapter;
    public final ProviderHealth health;
    /** The bulkhead ({@code max_concurrency}); null when unlimited. */
    public final ProviderSlots slots;
    public final RateLimiter rpm;
    public final RateLimiter tpm;
    final int tpmPerPeriod;
    volatile double latencyEwmaMs = Double.NaN;

    ProviderRuntime(ProviderConfig config, ProviderAdapter adapter, ProviderHealth health, ProviderSlots slots,
                    RateLimiter rpm, RateLimiter tpm, int tpmPerPeriod) {
      this.config = config;
      this.adapter = adapter;
      this.health = health;
      this.slots = slots;
      this.rpm = rpm;
      this.tpm = tpm;
      this.tpmPerPeriod = tpmPerPeriod;
    }

    public String name() { return config.name(); }

    public double latencyEwmaMs() { return latencyEwmaMs; }
  }

  /** One target at run time. */
  public static final class TargetRuntime {
    public final TargetRef ref;
    public final CircuitBreaker breaker;
    volatile long openedAtNanos;
    volatile double latencyEwmaMs = Double.NaN;
    volatile double ttftEwmaMs = Double.NaN;
    /** The breaker's last state change, {@code null} = none since start (closed). */
    volatile CircuitChange lastChange;

    TargetRuntime(TargetRef ref, CircuitBreaker breaker) {
      this.ref = ref;
      this.breaker = breaker;
    }

    public double latencyEwmaMs() { return latencyEwmaMs; }

    public double ttftEwmaMs() { return ttftEwmaMs; }

    public CircuitChange lastChange() { return lastChange; }
  }

  /** When a target's circuit changed state, from what to what, and why (in words, for operators). */
  public record CircuitChange(long atEpochMillis, String from, String to, String reason) {}

  private final RouterConfig config;
  private final Planner planner;
  private final ProviderRuntime[] providers;
  private final TargetRuntime[] targets;
  private final BudgetCounters budgets;
  private final long openNanos;

  public LiveState(RouterConfig config, Planner planner, Function<ProviderConfig, ProviderAdapter> adapters, BudgetCounters budgets) {
    this.config = config;
    this.planner = planner;
    this.budgets = budgets;
    RouterConfig.CircuitBreaker cb = config.resilience().circuitBreaker();
    this.openNanos = Duration.ofMillis(cb.openMs()).toNanos();
    List<ProviderConfig> pcs = List.copyOf(config.providers().values());
    this.providers = new ProviderRuntime[pcs.size()];
    for (int i = 0; i < pcs.size(); i++) {
      ProviderConfig pc = pcs.get(i);
      var s = pc.settings();
      ProviderHealth h = new ProviderHealth(pc.name(), pc.configured(), pc.unconfiguredReason(),
          config.health().downAfterFailures(), config.health().degradedErrorRatePercent()).cooldownMs(cb.openMs());
      ProviderSlots slots = s.maxConcurrency() <= 0 ? null : new ProviderSlots(s.maxConcurrency());
      RateLimiter rpm = null;
      if (s.rpm() > 0) {
        // spread the minute: at most rpm/60 per second (at least one per 60000/rpm ms), no burst of the whole minute
        RateLimiterConfig rc = s.rpm() >= 60
            ? RateLimiterConfig.custom().limitForPeriod(s.rpm() / 60).limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ofMillis(config.resilience().timeouts().totalMs())).build()
            : RateLimiterConfig.custom().limitForPeriod(1).limitRefreshPeriod(Duration.ofMillis(60_000L / s.rpm()))
                .timeoutDuration(Duration.ofMillis(config.resilience().timeouts().totalMs())).build();
        rpm = RateLimiter.of("rpm-" + pc.name(), rc);
      }
      RateLimiter tpm = null;
      int perPeriod = 0;
      if (s.tpm() > 0) {
        perPeriod = Math.max(1, s.tpm() / 60);
        tpm = RateLimiter.of("tpm-" + pc.name(), RateLimiterConfig.custom().limitForPeriod(perPeriod)
            .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofMillis(config.resilience().timeouts().totalMs())).build());
      }
      ProviderAdapter adapter = pc.configured() ? adapters.apply(pc) : null;
      providers[i] = new ProviderRuntime(pc, adapter, h, slots, rpm, tpm, perPeriod);
    }
    CircuitBreakerConfig cbc = CircuitBreakerConfig.custom()
        .failureRateThreshold(cb.failureRatePercent())
        .minimumNumberOfCalls(cb.minimumCalls())
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(cb.windowSize())
        .waitDurationInOpenState(Duration.ofMillis(cb.openMs()))
        .permittedNumberOfCallsInHalfOpenState(cb.halfOpenCalls())
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .writableStackTraceEnabled(false)
        .build();
    TargetRef[] refs = planner.allTargets();
    this.targets = new TargetRuntime[refs.length];
    for (TargetRef r : refs) {
      CircuitBreaker b = CircuitBreaker.of(r.target().toString(), cbc);
      TargetRuntime tr = new TargetRuntime(r, b);
      b.getEventPublisher().onStateTransition(e -> {
        if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) tr.openedAtNanos = System.nanoTime();
        tr.lastChange = change(e.getStateTransition(), b, cb.openMs());
      });
      targets[r.index()] = tr;
    }
  }

  private static CircuitChange change(CircuitBreaker.StateTransition t, CircuitBreaker b, long openMs) {
    String from = t.getFromState().name().toLowerCase(java.util.Locale.ROOT);
    String to = t.getToState().name().toLowerCase(java.util.Locale.ROOT);
    var m = b.getMetrics();
    String why = switch (t.getToState()) {
      case OPEN -> t.getFromState() == CircuitBreaker.State.HALF_OPEN
          ? "a trial call failed while half open"
          : String.format(java.util.Locale.ROOT, "failure rate %.0f%% over the last %d calls reached the threshold",
              m.getFailureRate(), m.getNumberOfBufferedCalls());
      case HALF_OPEN -> "open for " + openMs + " ms: trial calls allowed";
      case CLOSED -> "trial calls succeeded";
      default -> to;
    };
    return new CircuitChange(System.currentTimeMillis(), from, to, why);
  }

  public RouterConfig config() { return config; }

  public Planner planner() { return planner; }

  public ProviderRuntime provider(TargetRef t) { return providers[t.providerIndex()]; }

  public ProviderRuntime[] providers() { return providers.clone(); }

  public TargetRuntime target(TargetRef t) { return targets[t.index()]; }

  public TargetRuntime[] targets() { return targets.clone(); }

  public BudgetCounters budgets() { return budgets; }

  /** Milliseconds until an open circuit lets a half-open probe through (0 = now), or -1 when not open. */
  public long openRemainingMs(TargetRuntime t, long nowNanos) {
    if (t.breaker.getState() != CircuitBreaker.State.OPEN) return -1;
    long left = t.openedAtNanos + openNanos - nowNanos;
    return left <= 0 ? 0 : Math.max(1, left / 1_000_000);
  }

  @Override
  public String unusableReason(TargetRef t, long nowNanos) {
    ProviderRuntime p = providers[t.providerIndex()];
    if (!p.config.configured()) return "unconfigured: " + p.config.unconfiguredReason();
    if (p.adapter == null) return "unconfigured: no adapter";
    HealthState hs = p.health.state();
    if (hs == HealthState.DOWN && p.health.skipped(System.currentTimeMillis())) return "provider down: " + p.health.reason();
    TargetRuntime tr = targets[t.index()];
    CircuitBreaker.State cs = tr.breaker.getState();
    if (cs == CircuitBreaker.State.OPEN) {
      long left = openRemainingMs(tr, nowNanos);
      if (left > 0) return "circuit open (half-open probe in " + left + " ms)";
    } else if (cs == CircuitBreaker.State.FORCED_OPEN) {
      return "circuit open (another replica runs its half-open probe)";
    }
    return null;
  }

  @Override
  public double latencyMs(TargetRef t, boolean streaming) {
    TargetRuntime tr = targets[t.index()];
    return streaming && !Double.isNaN(tr.ttftEwmaMs) ? tr.ttftEwmaMs : tr.latencyEwmaMs;
  }

  @Override
  public double remainingBudgetUsd(String apiKeyIdOrNull) {
    return budgets.remainingUsd(apiKeyIdOrNull);
  }

  void recordLatency(TargetRef t, long latencyMs, Long ttftMs) {
    TargetRuntime tr = targets[t.index()];
    tr.latencyEwmaMs = ewma(tr.latencyEwmaMs, latencyMs);
    if (ttftMs != null) tr.ttftEwmaMs = ewma(tr.ttftEwmaMs, ttftMs);
    ProviderRuntime p = providers[t.providerIndex()];
    p.latencyEwmaMs = ewma(p.latencyEwmaMs, ttftMs != null ? ttftMs : latencyMs);
  }

  private static double ewma(double old, double v) {
    return Double.isNaN(old) ? v : old + ALPHA * (v - old);
  }

  /** Tokens one call may reserve from the TPM limiter (Resilience4j caps a reservation at one period's permits). */
  static int tpmPermits(ProviderRuntime p, int tokens) {
    return Math.max(1, Math.min(tokens, p.tpmPerPeriod));
  }
}
