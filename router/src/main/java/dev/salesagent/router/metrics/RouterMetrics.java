package dev.salesagent.router.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The router's meters. Names follow the OpenTelemetry GenAI semantic conventions where one exists
 * ({@code gen_ai.client.operation.duration} in seconds, {@code gen_ai.client.token.usage} with
 * {@code gen_ai.token.type}), {@code sales_agent_*} otherwise. Tags are provider, model, task and outcome — never a
 * key, a prompt or a request id.
 */
public final class RouterMetrics {
  public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
  public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  public static final String TTFT = "sales_agent_time_to_first_token";
  public static final String REQUESTS = "sales_agent_requests";
  public static final String ATTEMPTS = "sales_agent_attempts";
  public static final String RETRIES = "sales_agent_retries";
  public static final String FALLBACKS = "sales_agent_fallbacks";
  public static final String CONTINUATIONS = "sales_agent_continuations";
  public static final String COST = "sales_agent_cost_usd";
  /** Attempts charged without a complete usage report (a cut or cancelled stream): never mixed into the meters above. */
  public static final String ESTIMATED_TOKENS = "sales_agent_estimated_tokens";
  public static final String ESTIMATED_COST = "sales_agent_estimated_cost_usd";
  public static final String CIRCUIT_STATE = "sales_agent_circuit_state";
  public static final String PROVIDER_HEALTH = "sales_agent_provider_health";
  public static final String BUDGET_REMAINING = "sales_agent_budget_remaining_usd";

  private final MeterRegistry registry;
  /**
   * Meters already registered, by name and tag values. Building and registering a meter per event (tags sorted, an id
   * built and looked up) cost several microseconds per request for a handful of meters; the tag sets are few.
   */
  private final ConcurrentHashMap<MeterKey, Meter> meters = new ConcurrentHashMap<>();

  /**
   * A meter's name and tags. equals and hashCode are written out: several are looked up per request, and the record's
   * generated ones (method-handle based) showed up in the gateway's CPU profile.
   */
  private record MeterKey(String name, String a, String b, String c, String d, Object e) {
    @Override
    public boolean equals(Object o) {
      return o instanceof MeterKey k && name.equals(k.name) && java.util.Objects.equals(a, k.a) && java.util.Objects.equals(b, k.b)
          && java.util.Objects.equals(c, k.c) && java.util.Objects.equals(d, k.d) && java.util.Objects.equals(e, k.e);
    }

    @Override
    public int hashCode() {
      int h = name.hashCode();
      h = 31 * h + (a == null ? 0 : a.hashCode());
      h = 31 * h + (b == null ? 0 : b.hashCode());
      h = 31 * h + (c == null ? 0 : c.hashCode());
      h = 31 * h + (d == null ? 0 : d.hashCode());
      return 31 * h + (e == null ? 0 : e.hashCode());
    }
  }

  public RouterMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @SuppressWarnings("unchecked")
  private <M extends Meter> M cached(MeterKey key, Supplier<M> register) {
    Meter m = meters.get(key);
    if (m == null) m = meters.computeIfAbsent(key, k -> register.get());
    return (M) m;
  }

  public MeterRegistry registry() { return registry; }

  private static String nz(String s) {
    return s == null ? "none" : s;
  }

  /** One attempt at one target. */
  public void attempt(String provider, String model, String task, String outcome, long latencyMs, boolean streamed) {
    Counter attempts = cached(new MeterKey(ATTEMPTS, provider, model, task, outcome, null), () ->
        Counter.builder(ATTEMPTS).description("Calls to upstream targets")
            .tags("provider", provider, "model", model, "task", nz(task), "outcome", outcome).register(registry));
    attempts.increment();
    Timer duration = cached(new MeterKey(OPERATION_DURATION, provider, model, task, outcome, streamed), () -> {
      Timer.Builder b = Timer.builder(OPERATION_DURATION).description("GenAI operation duration (per upstream attempt)")
          .tags("gen_ai.operation.name", "chat", "gen_ai.provider.name", provider, "gen_ai.request.model", model,
              "sales_agent.task", nz(task), "sales_agent.streamed", String.valueOf(streamed))
          .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2));
      if (!"ok".equals(outcome)) b = b.tag("error.type", outcome);
      return b.register(registry);
    });
    duration.record(latencyMs, TimeUnit.MILLISECONDS);
  }

  public void tokens(String provider, String model, String task, Integer input, Integer output) {
    if (input != null) tokenSummary(provider, model, task, "input").record(input);
    if (output != null) tokenSummary(provider, model, task, "output").record(output);
  }

  private DistributionSummary tokenSummary(String provider, String model, String task, String type) {
    return cached(new MeterKey(TOKEN_USAGE, provider, model, task, type, null), () -> DistributionSummary.builder(TOKEN_USAGE).baseUnit("{token}").description("Tokens used per call")
        .tags("gen_ai.operation.name", "chat", "gen_ai.provider.name", provider, "gen_ai.request.model", model,
            "gen_ai.token.type", type, "sales_agent.task", nz(task))
        .publishPercentileHistogram().register(registry));
  }

  public void ttft(String provider, String model, String task, long ms) {
    Timer t = cached(new MeterKey(TTFT, provider, model, task, null, null), () ->
        Timer.builder(TTFT).description("Time to first content token of streamed calls")
            .tags("provider", provider, "model", model, "task", nz(task)).publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1)).register(registry));
    t.record(ms, TimeUnit.MILLISECONDS);
  }

  public void cost(String provider, String model, String task, double usd) {
    if (usd <= 0) return;
    Counter c = cached(new MeterKey(COST, provider, model, task, null, null), () ->
        Counter.builder(COST).baseUnit("usd").description("Cost at list prices of reported usage")
            .tags("provider", provider, "model", model, "task", nz(task)).register(registry));
    c.increment(usd);
  }

  /** A routed request ended; provider/model of the target that answered (or "none"). */
  /**
   * An attempt charged on an estimate (its provider reported no or incomplete usage): the whole charge goes here and
   * nothing to {@link #tokens} or {@link #cost}, so those stay what providers reported. Spend = both cost meters.
   */
  public void estimated(String provider, String model, String task, Integer input, Integer output, double usd) {
    if (input != null && input > 0) estimatedTokens(provider, model, task, "input").increment(input);
    if (output != null && output > 0) estimatedTokens(provider, model, task, "output").increment(output);
    if (usd > 0) {
      Counter.builder(ESTIMATED_COST).baseUnit("usd").description("Cost at list prices of estimated usage (cut or cancelled attempts)")
          .tags("provider", provider, "model", model, "task", nz(task)).register(registry).increment(usd);
    }
  }

  private Counter estimatedTokens(String provider, String model, String task, String type) {
    return Counter.builder(ESTIMATED_TOKENS).baseUnit("{token}").description("Tokens charged on an estimate, not reported by the provider")
        .tags("provider", provider, "model", model, "task", nz(task), "type", type).register(registry);
  }

  public void request(String provider, String model, String task, String strategy, String outcome) {
    Counter c = cached(new MeterKey(REQUESTS, provider, model, task, strategy, outcome), () ->
        Counter.builder(REQUESTS).description("Routed requests")
            .tags("provider", nz(provider), "model", nz(model), "task", nz(task), "strategy", nz(strategy), "outcome", outcome)
            .register(registry));
    c.increment();
  }

  public void retry(String provider, String model, String task, String kind) {
    Counter.builder(RETRIES).tags("provider", provider, "model", model, "task", nz(task), "error.type", kind).register(registry).increment();
  }

  public void fallback(String provider, String model, String task, String kind) {
    Counter.builder(FALLBACKS).description("Moves to the next target, tagged with the target left")
        .tags("provider", provider, "model", model, "task", nz(task), "error.type", kind).register(registry).increment();
  }

  public void continuation(String provider, String model, String task) {
    Counter.builder(CONTINUATIONS).description("Streams continued on another target after a cut")
        .tags("provider", provider, "model", model, "task", nz(task)).register(registry).increment();
  }

  /** 0 closed, 1 half-open, 2 open (other states 3). */
  public void circuitGauge(String provider, String model, Supplier<Number> state) {
    io.micrometer.core.instrument.Gauge.builder(CIRCUIT_STATE, state).description("0 closed, 1 half-open, 2 open")
        .tags(Tags.of("provider", provider, "model", model)).strongReference(true).register(registry);
  }

  /** 1 healthy, 0.5 degraded, 0 down, -1 unconfigured. */
  public void healthGauge(String provider, Supplier<Number> state) {
    io.micrometer.core.instrument.Gauge.builder(PROVIDER_HEALTH, state).description("1 healthy, 0.5 degraded, 0 down, -1 unconfigured")
        .tags("provider", provider).strongReference(true).register(registry);
  }

  public void budgetGauge(Supplier<Number> remaining) {
    io.micrometer.core.instrument.Gauge.builder(BUDGET_REMAINING, remaining).description("Smallest global budget left (USD), -1 unlimited")
        .tags("scope", "global").strongReference(true).register(registry);
  }
}
