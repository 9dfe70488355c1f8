package dev.salesagent.router.config;

import dev.salesagent.router.config.ConfigFile.At;
import dev.salesagent.router.config.ConfigFile.Val;
import dev.salesagent.router.config.RouterConfig.BudgetPolicy;
import dev.salesagent.router.config.RouterConfig.ProviderConfig;
import dev.salesagent.router.config.RouterConfig.TaskConfig;
import dev.salesagent.router.provider.Timeouts;
import dev.salesagent.router.provider.registry.ProviderRegistry;
import dev.salesagent.router.provider.registry.Providers;
import dev.salesagent.router.routing.Target;
import dev.salesagent.router.shared.SharedRedis;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the router configuration: the built-in defaults ({@code default-router.yaml}, then each registered provider
 * folder's predefined providers) with the given file(s) merged on top, bound with Jackson into {@link ConfigFile}
 * records ({@link ConfigYaml}), {@code ${VAR}} / {@code ${VAR:-default}} replaced from {@code env} in every string
 * value, then checked. Unknown keys and bad values fail with a {@link ConfigException} that names the key, the file
 * and line, and what is expected.
 */
public final class ConfigLoader {
  static final String DEFAULTS = "dev/salesagent/router/config/default-router.yaml";

  private ConfigLoader() {}

  /** The built-in defaults with {@code fileOrNull} merged on top. */
  public static RouterConfig load(Path fileOrNull, Map<String, String> env) {
    String overlay = null;
    String source = null;
    if (fileOrNull != null) {
      try {
        overlay = Files.readString(fileOrNull, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException("cannot read configuration file " + fileOrNull + ": " + e.getMessage(), e);
      }
      source = fileOrNull.toString();
    }
    return loadYaml(overlay, source, env);
  }

  /** Same as {@link #load} with the overlay given as text ({@code null} = defaults only). */
  public static RouterConfig loadYaml(String overlayYamlOrNull, String sourceName, Map<String, String> env) {
    return loadYaml(overlayYamlOrNull, sourceName, env, Providers.BUILT_IN);
  }

  /** Same, with the providers of {@code registry} (its folders' defaults, its kinds). */
  public static RouterConfig loadYaml(String overlayYamlOrNull, String sourceName, Map<String, String> env, ProviderRegistry registry) {
    return loadLayers(overlayYamlOrNull == null ? List.of() : List.of(overlayYamlOrNull), sourceName, env, registry);
  }

  /** The defaults with several overlays merged in order (later wins), e.g. a base file plus local overrides. */
  public static RouterConfig loadLayers(List<String> overlays, String sourceName, Map<String, String> env) {
    return loadLayers(overlays, sourceName, env, Providers.BUILT_IN);
  }

  public static RouterConfig loadLayers(List<String> overlays, String sourceName, Map<String, String> env, ProviderRegistry registry) {
    ConfigFile merged = ConfigYaml.read(readDefaults(), "default-router.yaml");
    for (ProviderRegistry.Defaults d : registry.defaults()) merged = ConfigYaml.merge(merged, ConfigYaml.read(d.yaml(), d.resource()));
    int i = 0;
    for (String o : overlays) {
      i++;
      if (o == null) continue;
      String source = (sourceName == null ? "config" : sourceName) + (overlays.size() > 1 ? "#" + i : "");
      merged = ConfigYaml.merge(merged, ConfigYaml.read(o, source));
    }
    return build(merged, new ConfigValues(env == null ? Map.of() : env), registry);
  }

  private static String readDefaults() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) throw new IllegalStateException("missing resource " + DEFAULTS);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEFAULTS, e);
    }
  }

  // ---------------------------------------------------------------- building

  private static <T> T value(At<T> at) {
    return at == null ? null : at.value();
  }

  private static RouterConfig build(ConfigFile f, ConfigValues v, ProviderRegistry registry) {
    ConfigFile.Resilience rm = value(f.resilience());
    if (rm == null) rm = new ConfigFile.Resilience(null, null, null, null);
    RouterConfig.Resilience resilience = resilience(v, rm, f.resilience());

    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    ProviderSection section = new ProviderSection(v, registry);
    if (f.providers() != null) {
      f.providers().forEach((name, p) -> providers.put(name, section.provider(name, p, resilience.timeouts())));
    }
    if (providers.isEmpty()) throw new ConfigException("providers: at least one provider must be configured");

    Map<String, TaskConfig> tasks = new LinkedHashMap<>();
    if (f.tasks() != null) f.tasks().forEach((name, t) -> tasks.put(name, task(v, name, t, providers)));

    ConfigFile.Strategy sm = value(f.strategy());
    Val sv = sm == null ? null : sm.dflt();
    String strategy = v.str(sv, "strategy.default", "task");
    if (!RouterConfig.STRATEGIES.contains(strategy)) {
      throw new ConfigException(ConfigValues.where(sv, f.strategy()) + ": strategy.default '" + strategy
          + "' is not a strategy: write task, cost or latency");
    }

    ConfigFile.Budgets bm = value(f.budgets());
    if (bm == null) bm = new ConfigFile.Budgets(null, null, null);
    String policy = v.str(bm.policy(), "budgets.policy", "refuse");
    BudgetPolicy bp = switch (policy) {
      case "refuse" -> BudgetPolicy.REFUSE;
      case "downgrade" -> BudgetPolicy.DOWNGRADE;
      default -> throw new ConfigException(ConfigValues.where(bm.policy(), f.budgets()) + ": budgets.policy '" + policy
          + "' is not a policy: write refuse or downgrade");
    };
    RouterConfig.Budgets budgets = new RouterConfig.Budgets(
        v.optDouble(bm.dailyUsd(), "budgets.daily_usd"), v.optDouble(bm.monthlyUsd(), "budgets.monthly_usd"), bp);

    ConfigFile.Health hm = value(f.health());
    if (hm == null) hm = new ConfigFile.Health(null, null, null, null);
    RouterConfig.Health health = new RouterConfig.Health(
        v.longIn(hm.probeIntervalMs(), "health.probe_interval_ms", 30_000, 50, 86_400_000),
        v.longIn(hm.probeJitterMs(), "health.probe_jitter_ms", 3_000, 0, 86_400_000),
        v.intIn(hm.downAfterFailures(), "health.down_after_failures", 3, 1, 1000),
        v.intIn(hm.degradedErrorRatePercent(), "health.degraded_error_rate_percent", 25, 1, 100));

    ConfigFile.SharedState ss = value(f.sharedState());
    ConfigFile.Val sp = ss == null ? null : ss.policy();
    String sharedPolicy = v.str(sp, "shared_state.policy", "fail_open");
    RouterConfig.SharedState shared;
    try {
      shared = new RouterConfig.SharedState(SharedRedis.Policy.parse(sharedPolicy), v.longIn(
          ss == null ? null : ss.commandTimeoutMs(), "shared_state.command_timeout_ms", SharedRedis.COMMAND_TIMEOUT_MS,
          10, 600_000));
    } catch (IllegalArgumentException e) {
      if (e instanceof ConfigException ce) throw ce;
      throw new ConfigException(ConfigValues.where(sp, f.sharedState()) + ": shared_state.policy " + e.getMessage());
    }
    return new RouterConfig(providers, tasks, strategy, resilience, budgets, health, shared);
  }

  private static RouterConfig.Resilience resilience(ConfigValues v, ConfigFile.Resilience rm, At<ConfigFile.Resilience> res) {
    Timeouts globalTimeouts = timeouts(v, rm.timeouts(), "resilience.timeouts", Timeouts.DEFAULT);
    ConfigFile.Backoff bo = value(rm.backoff());
    if (bo == null) bo = new ConfigFile.Backoff(null, null);
    ConfigFile.CircuitBreaker cb = value(rm.circuitBreaker());
    if (cb == null) cb = new ConfigFile.CircuitBreaker(null, null, null, null, null);
    RouterConfig.CircuitBreaker breaker = new RouterConfig.CircuitBreaker(
        v.intIn(cb.failureRatePercent(), "resilience.circuit_breaker.failure_rate_percent", 50, 1, 100),
        v.intIn(cb.minimumCalls(), "resilience.circuit_breaker.minimum_calls", 5, 1, 10_000),
        v.longIn(cb.openMs(), "resilience.circuit_breaker.open_ms", 15_000, 1, 86_400_000),
        v.intIn(cb.halfOpenCalls(), "resilience.circuit_breaker.half_open_calls", 2, 1, 1000),
        v.intIn(cb.windowSize(), "resilience.circuit_breaker.window_size", 20, 1, 10_000));
    if (breaker.windowSize() < breaker.minimumCalls()) {
      throw new ConfigException(ConfigValues.where(cb.windowSize(), res) + ": resilience.circuit_breaker.window_size ("
          + breaker.windowSize() + ") must be at least minimum_calls (" + breaker.minimumCalls() + ")");
    }
    long initial = v.longIn(bo.initialMs(), "resilience.backoff.initial_ms", 250, 1, 600_000);
    long max = v.longIn(bo.maxMs(), "resilience.backoff.max_ms", 4000, 1, 600_000);
    if (max < initial) throw new ConfigException(ConfigValues.where(bo.maxMs(), res) + ": resilience.backoff.max_ms must be >= initial_ms");
    return new RouterConfig.Resilience(v.intIn(rm.maxRetries(), "resilience.max_retries", 2, 0, 20), initial, max, globalTimeouts, breaker);
  }

  private static TaskConfig task(ConfigValues v, String name, At<ConfigFile.Task> at, Map<String, ProviderConfig> providers) {
    String path = "tasks." + name;
    if (name.equals("auto")) throw new ConfigException(at.where() + ": 'auto' is reserved (it means: classify the request); name the task otherwise");
    ConfigFile.Task m = at.value();
    if (m == null || m.chain() == null || m.chain().isEmpty()) {
      throw new ConfigException(at.where() + ": " + path + ".chain must be a non-empty list of <provider>/<model>");
    }
    List<Target> chain = new ArrayList<>();
    for (Val c : m.chain()) {
      String s = v.str(c, path + ".chain", null);
      Target t;
      if (s != null && !s.contains("/")) {
        ProviderConfig p = providers.get(s);
        if (p == null) throw new ConfigException(c.where() + ": " + path + ".chain: unknown provider '" + s + "' (configured: " + providers.keySet() + ")");
        t = new Target(s, p.defaultModel());
      } else {
        try {
          t = Target.parse(s);
        } catch (IllegalArgumentException | NullPointerException e) {
          throw new ConfigException(c.where() + ": " + path + ".chain: '" + s + "' is not a target: write <provider>/<model>");
        }
      }
      ProviderConfig p = providers.get(t.provider());
      if (p == null) throw new ConfigException(c.where() + ": " + path + ".chain: unknown provider '" + t.provider() + "' (configured: " + providers.keySet() + ")");
      if (p.settings().model(t.model()) == null) {
        throw new ConfigException(c.where() + ": " + path + ".chain: provider '" + t.provider() + "' has no model '" + t.model()
            + "' (its models: " + p.modelOrder() + "; add it under providers." + t.provider() + ".models)");
      }
      if (!chain.contains(t)) chain.add(t);
    }
    int typical = v.intIn(m.typicalOutputTokens(), path + ".typical_output_tokens", 500, 1, 10_000_000);
    return new TaskConfig(name, chain, typical, keywords(v, m.keywords(), path + ".keywords"));
  }

  /** Optional list of non-blank phrases, lower-cased (the classifier matches lower-cased text). */
  private static List<String> keywords(ConfigValues v, List<Val> phrases, String path) {
    if (phrases == null) return List.of();
    List<String> out = new ArrayList<>();
    for (Val k : phrases) {
      String s = v.str(k, path, null);
      if (s == null || s.isBlank()) throw new ConfigException(k.where() + ": " + path + " has an empty phrase");
      String lower = s.toLowerCase(Locale.ROOT);
      if (!out.contains(lower)) out.add(lower);
    }
    return out;
  }

  static Timeouts timeouts(ConfigValues v, At<ConfigFile.Timeouts> at, String path, Timeouts base) {
    ConfigFile.Timeouts m = value(at);
    if (m == null) return base;
    return new Timeouts(
        v.longIn(m.connectMs(), path + ".connect_ms", base.connectMs(), 1, 86_400_000),
        v.longIn(m.firstTokenMs(), path + ".first_token_ms", base.firstTokenMs(), 1, 86_400_000),
        v.longIn(m.idleMs(), path + ".idle_ms", base.idleMs(), 1, 86_400_000),
        v.longIn(m.totalMs(), path + ".total_ms", base.totalMs(), 1, 86_400_000));
  }
}
