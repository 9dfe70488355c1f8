package dev.salesagent.router.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One configuration layer as written (the built-in defaults, a provider folder's defaults, a user's file), bound by
 * Jackson from YAML ({@link ConfigYaml}). Every value is a {@link Val} that remembers its file and line, every entry
 * of a named mapping an {@link At}; anything absent is {@code null}. Layers merge key by key
 * ({@link ConfigYaml#merge}); {@link ConfigLoader} then checks and resolves the merged file into a
 * {@link RouterConfig}. Keys are the records' components in snake_case: a new key is a new component.
 */
record ConfigFile(
    Map<String, At<Provider>> providers,
    Map<String, At<Task>> tasks,
    At<Strategy> strategy,
    At<Resilience> resilience,
    At<Budgets> budgets,
    At<Health> health,
    At<SharedState> sharedState) {

  static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null);

  /** A scalar as written: a String, Number or Boolean ({@code null} when the key is there without a value). */
  record Val(Object value, String source, int line) {
    String where() {
      return source + " line " + line;
    }
  }

  /** A mapping (or nothing, {@code value == null}) and where it starts. */
  record At<T>(T value, String source, int line) {
    String where() {
      return source + " line " + line;
    }
  }

  record Provider(Val kind, Val baseUrl, Val baseUrlEnv, Val apiPrefix, Val apiKeyEnv, Map<String, At<Model>> models,
                  At<Timeouts> timeouts, Val maxConcurrency, Val rpm, Val tpm, Val enabled) {}

  record Model(Val contextWindow, Val inputUsdPerMtok, Val outputUsdPerMtok, Val cachedInputUsdPerMtok,
               Val cacheWriteUsdPerMtok, List<Val> capabilities) {}

  record Task(List<Val> chain, Val typicalOutputTokens, List<Val> keywords) {}

  record Strategy(@JsonProperty("default") Val dflt) {}

  record Resilience(Val maxRetries, At<Backoff> backoff, At<Timeouts> timeouts, At<CircuitBreaker> circuitBreaker) {}

  record Backoff(Val initialMs, Val maxMs) {}

  record Timeouts(Val connectMs, Val firstTokenMs, Val idleMs, Val totalMs) {}

  record CircuitBreaker(Val failureRatePercent, Val minimumCalls, Val openMs, Val halfOpenCalls, Val windowSize) {}

  record Budgets(Val dailyUsd, Val monthlyUsd, Val policy) {}

  record SharedState(Val policy, Val commandTimeoutMs) {}

  record Health(Val probeIntervalMs, Val probeJitterMs, Val downAfterFailures, Val degradedErrorRatePercent) {}
}
