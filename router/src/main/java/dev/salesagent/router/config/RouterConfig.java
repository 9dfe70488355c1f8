package dev.salesagent.router.config;

import dev.salesagent.router.shared.SharedRedis;

import dev.salesagent.router.budget.BudgetLimits;
import dev.salesagent.router.provider.ModelSpec;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.Timeouts;
import dev.salesagent.router.routing.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The router's whole configuration, validated (see {@link ConfigLoader} and docs/CONFIGURATION.md). Maps keep the
 * order of the file: the first model of a provider is its default model.
 */
public record RouterConfig(
    Map<String, ProviderConfig> providers,
    Map<String, TaskConfig> tasks,
    String defaultStrategy,
    Resilience resilience,
    Budgets budgets,
    Health health,
    SharedState sharedState) {

  public static final List<String> STRATEGIES = List.of("task", "cost", "latency");

  /** Without a {@code shared_state} section: {@code fail_open}. */
  public RouterConfig(Map<String, ProviderConfig> providers, Map<String, TaskConfig> tasks, String defaultStrategy,
                      Resilience resilience, Budgets budgets, Health health) {
    this(providers, tasks, defaultStrategy, resilience, budgets, health, SharedState.DEFAULT);
  }

  public RouterConfig {
    sharedState = sharedState == null ? SharedState.DEFAULT : sharedState;
    providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
    tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
  }

  public ProviderConfig provider(String name) {
    return providers.get(name);
  }

  /** Every (provider, model) pair in configuration order. */
  public List<Target> allTargets() {
    List<Target> out = new ArrayList<>();
    for (ProviderConfig p : providers.values()) for (String m : p.modelOrder()) out.add(new Target(p.name(), m));
    return out;
  }

  /** The spec of a target's model, or {@code null} when the provider or model is not configured. */
  public ModelSpec modelSpec(Target t) {
    ProviderConfig p = providers.get(t.provider());
    return p == null ? null : p.settings().model(t.model());
  }

  /**
   * One provider.
   *
   * @param settings   what the adapter gets (the key resolved from {@code api_key_env}, the base URL from the file or
   *                   the environment)
   * @param modelOrder model ids in configuration order; the first is the default model
   * @param enabled    {@code false} removes it from every plan without deleting it
   */
  public record ProviderConfig(String name, ProviderSettings settings, List<String> modelOrder, boolean enabled) {
    public ProviderConfig {
      modelOrder = List.copyOf(modelOrder);
    }

    public String defaultModel() {
      return modelOrder.isEmpty() ? null : modelOrder.get(0);
    }

    /** Enabled and has its key (or needs none). */
    public boolean configured() {
      return enabled && settings.configured();
    }

    /** Why the provider is not configured, or {@code null}. */
    public String unconfiguredReason() {
      if (!enabled) return "disabled in configuration";
      if (!settings.configured()) return settings.apiKeyEnv() + " is not set";
      return null;
    }
  }

  /**
   * One task.
   *
   * @param chain               targets in order (the task strategy's plan)
   * @param typicalOutputTokens output estimate for cost planning when the request sets no max_tokens
   * @param keywords            lower-case phrases that make the auto-task classifier lean to this task (may be empty)
   */
  public record TaskConfig(String name, List<Target> chain, int typicalOutputTokens, List<String> keywords) {
    public TaskConfig {
      chain = List.copyOf(chain);
      keywords = List.copyOf(keywords);
    }
  }

  /**
   * @param maxRetries       retries per target for retryable kinds (so at most {@code maxRetries + 1} calls)
   * @param backoffInitialMs first backoff ceiling; full jitter picks uniformly in [0, ceiling]
   * @param backoffMaxMs     backoff ceiling cap
   */
  public record Resilience(int maxRetries, long backoffInitialMs, long backoffMaxMs, Timeouts timeouts,
                           CircuitBreaker circuitBreaker) {}

  public record CircuitBreaker(int failureRatePercent, int minimumCalls, long openMs, int halfOpenCalls, int windowSize) {}

  /** Global limits and what to do when a call does not fit. */
  public record Budgets(Double dailyUsd, Double monthlyUsd, BudgetPolicy policy) {
    public BudgetLimits limits() {
      return new BudgetLimits(dailyUsd, monthlyUsd);
    }
  }

  public enum BudgetPolicy {
    REFUSE, DOWNGRADE;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Budgets and rate limits shared by replicas through Redis ({@code SALES_AGENT_REDIS_URL}): what a replica does
   * while Redis is unreachable, and how long a Redis call may go unanswered before it counts as unreachable.
   */
  public record SharedState(SharedRedis.Policy policy, long commandTimeoutMs) {
    public static final SharedState DEFAULT = new SharedState(SharedRedis.Policy.FAIL_OPEN, SharedRedis.COMMAND_TIMEOUT_MS);
  }

  /**
   * @param probeIntervalMs       active probe period per provider
   * @param probeJitterMs         random extra delay (0..jitter) per probe so providers are not probed in lockstep
   * @param downAfterFailures     consecutive failures (probes or live calls) that mark a provider down
   * @param degradedErrorRatePercent live error rate over the recent window above which a provider is degraded
   */
  public record Health(long probeIntervalMs, long probeJitterMs, int downAfterFailures, int degradedErrorRatePercent) {}
}
