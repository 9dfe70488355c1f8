package dev.salesagent.router.config;

import dev.salesagent.router.config.RouterConfig.BudgetPolicy;
import dev.salesagent.router.config.RouterConfig.ProviderConfig;
import dev.salesagent.router.config.RouterConfig.TaskConfig;
import dev.salesagent.router.config.YamlTree.Node;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.provider.ModelSpec;
import dev.salesagent.router.provider.ProviderKind;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.Secret;
import dev.salesagent.router.provider.Timeouts;
import dev.salesagent.router.routing.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the router configuration: the built-in defaults ({@code default-router.yaml}) with the given file merged on
 * top, {@code ${VAR}} / {@code ${VAR:-default}} replaced from {@code env} in every string value, then validated.
 * Unknown keys and bad values fail with a {@link ConfigException} that names the key, the file and line, and what
 * is expected.
 */
public final class ConfigLoader {
  static final String DEFAULTS = "dev/salesagent/router/config/default-router.yaml";
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final Set<String> PREDEFINED = Set.of("anthropic", "cerebras", "deepseek", "ollama");

  private static final Set<String> ROOT_KEYS = Set.of("providers", "tasks", "strategy", "resilience", "budgets", "health");
  private static final Set<String> PROVIDER_KEYS = Set.of("kind", "base_url", "base_url_env", "api_prefix", "api_key_env",
      "models", "timeouts", "max_concurrency", "rpm", "tpm", "enabled");
  private static final Set<String> MODEL_KEYS = Set.of("context_window", "input_usd_per_mtok", "output_usd_per_mtok",
      "cached_input_usd_per_mtok", "capabilities");
  private static final Set<String> TASK_KEYS = Set.of("chain", "typical_output_tokens", "keywords");
  private static final Set<String> STRATEGY_KEYS = Set.of("default");
  private static final Set<String> RESILIENCE_KEYS = Set.of("max_retries", "backoff", "timeouts", "circuit_breaker");
  private static final Set<String> BACKOFF_KEYS = Set.of("initial_ms", "max_ms");
  private static final Set<String> TIMEOUT_KEYS = Set.of("connect_ms", "first_token_ms", "idle_ms", "total_ms");
  private static final Set<String> CB_KEYS = Set.of("failure_rate_percent", "minimum_calls", "open_ms", "half_open_calls", "window_size");
  private static final Set<String> BUDGET_KEYS = Set.of("daily_usd", "monthly_usd", "policy");
  private static final Set<String> HEALTH_KEYS = Set.of("probe_interval_ms", "probe_jitter_ms", "down_after_failures",
      "degraded_error_rate_percent");

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
    Map<String, String> e = env == null ? Map.of() : env;
    Node base = YamlTree.parse(readDefaults(), "default-router.yaml");
    Node merged = base;
    if (overlayYamlOrNull != null) {
      Node over = YamlTree.parse(overlayYamlOrNull, sourceName == null ? "config" : sourceName);
      if (over.value != null && !over.isMap()) throw new ConfigException(over.where() + ": the configuration must be a mapping of keys");
      if (over.value != null) merged = YamlTree.merge(base, over);
    }
    return build(merged, e);
  }

  /** The defaults with several overlays merged in order (later wins), e.g. a base file plus local overrides. */
  public static RouterConfig loadLayers(List<String> overlays, String sourceName, Map<String, String> env) {
    Map<String, String> e = env == null ? Map.of() : env;
    Node merged = YamlTree.parse(readDefaults(), "default-router.yaml");
    int i = 0;
    for (String o : overlays) {
      i++;
      if (o == null) continue;
      Node over = YamlTree.parse(o, (sourceName == null ? "config" : sourceName) + (overlays.size() > 1 ? "#" + i : ""));
      if (over.value != null && !over.isMap()) throw new ConfigException(over.where() + ": the configuration must be a mapping of keys");
      if (over.value != null) merged = YamlTree.merge(merged, over);
    }
    return build(merged, e);
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

  private static RouterConfig build(Node root, Map<String, String> env) {
    Map<String, Node> r = mapOf(root, "the configuration", ROOT_KEYS, env);

    Node res = r.get("resilience");
    Map<String, Node> rm = mapOf(res, "resilience", RESILIENCE_KEYS, env);
    Timeouts globalTimeouts = timeouts(rm.get("timeouts"), "resilience.timeouts", Timeouts.DEFAULT, env);
    Map<String, Node> bo = mapOf(rm.get("backoff"), "resilience.backoff", BACKOFF_KEYS, env);
    Map<String, Node> cb = mapOf(rm.get("circuit_breaker"), "resilience.circuit_breaker", CB_KEYS, env);
    RouterConfig.CircuitBreaker breaker = new RouterConfig.CircuitBreaker(
        intIn(cb.get("failure_rate_percent"), "resilience.circuit_breaker.failure_rate_percent", 50, 1, 100, env),
        intIn(cb.get("minimum_calls"), "resilience.circuit_breaker.minimum_calls", 5, 1, 10_000, env),
        longIn(cb.get("open_ms"), "resilience.circuit_breaker.open_ms", 15_000, 1, 86_400_000, env),
        intIn(cb.get("half_open_calls"), "resilience.circuit_breaker.half_open_calls", 2, 1, 1000, env),
        intIn(cb.get("window_size"), "resilience.circuit_breaker.window_size", 20, 1, 10_000, env));
    if (breaker.windowSize() < breaker.minimumCalls()) {
      throw new ConfigException(where(cb.get("window_size"), res) + ": resilience.circuit_breaker.window_size ("
          + breaker.windowSize() + ") must be at least minimum_calls (" + breaker.minimumCalls() + ")");
    }
    long initial = longIn(bo.get("initial_ms"), "resilience.backoff.initial_ms", 250, 1, 600_000, env);
    long max = longIn(bo.get("max_ms"), "resilience.backoff.max_ms", 4000, 1, 600_000, env);
    if (max < initial) throw new ConfigException(where(bo.get("max_ms"), res) + ": resilience.backoff.max_ms must be >= initial_ms");
    RouterConfig.Resilience resilience = new RouterConfig.Resilience(
        intIn(rm.get("max_retries"), "resilience.max_retries", 2, 0, 20, env), initial, max, globalTimeouts, breaker);

    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    Map<String, Node> pm = mapOf(r.get("providers"), "providers", null, env);
    for (Map.Entry<String, Node> e : pm.entrySet()) {
      providers.put(e.getKey(), provider(e.getKey(), e.getValue(), globalTimeouts, env));
    }
    if (providers.isEmpty()) throw new ConfigException("providers: at least one provider must be configured");

    Map<String, TaskConfig> tasks = new LinkedHashMap<>();
    Map<String, Node> tm = mapOf(r.get("tasks"), "tasks", null, env);
    for (Map.Entry<String, Node> e : tm.entrySet()) {
      tasks.put(e.getKey(), task(e.getKey(), e.getValue(), providers, env));
    }

    Map<String, Node> sm = mapOf(r.get("strategy"), "strategy", STRATEGY_KEYS, env);
    String strategy = str(sm.get("default"), "strategy.default", "task", env);
    if (!RouterConfig.STRATEGIES.contains(strategy)) {
      throw new ConfigException(where(sm.get("default"), r.get("strategy")) + ": strategy.default '" + strategy
          + "' is not a strategy: write task, cost or latency");
    }

    Map<String, Node> bm = mapOf(r.get("budgets"), "budgets", BUDGET_KEYS, env);
    String policy = str(bm.get("policy"), "budgets.policy", "refuse", env);
    BudgetPolicy bp = switch (policy) {
      case "refuse" -> BudgetPolicy.REFUSE;
      case "downgrade" -> BudgetPolicy.DOWNGRADE;
      default -> throw new ConfigException(where(bm.get("policy"), r.get("budgets")) + ": budgets.policy '" + policy
          + "' is not a policy: write refuse or downgrade");
    };
    RouterConfig.Budgets budgets = new RouterConfig.Budgets(
        optDouble(bm.get("daily_usd"), "budgets.daily_usd", env), optDouble(bm.get("monthly_usd"), "budgets.monthly_usd", env), bp);

    Map<String, Node> hm = mapOf(r.get("health"), "health", HEALTH_KEYS, env);
    RouterConfig.Health health = new RouterConfig.Health(
        longIn(hm.get("probe_interval_ms"), "health.probe_interval_ms", 30_000, 50, 86_400_000, env),
        longIn(hm.get("probe_jitter_ms"), "health.probe_jitter_ms", 3_000, 0, 86_400_000, env),
        intIn(hm.get("down_after_failures"), "health.down_after_failures", 3, 1, 1000, env),
        intIn(hm.get("degraded_error_rate_percent"), "health.degraded_error_rate_percent", 25, 1, 100, env));

    return new RouterConfig(providers, tasks, strategy, resilience, budgets, health);
  }

  private static ProviderConfig provider(String name, Node n, Timeouts globalTimeouts, Map<String, String> env) {
    String path = "providers." + name;
    if (!name.matches("[a-z0-9][a-z0-9_.-]*")) {
      throw new ConfigException(n.where() + ": provider name '" + name + "' must be lower-case letters, digits, '.', '_' or '-'");
    }
    Map<String, Node> m = mapOf(n, path, PROVIDER_KEYS, env);
    boolean predefined = PREDEFINED.contains(name);
    Node kindNode = m.get("kind");
    if (kindNode == null) throw new ConfigException(n.where() + ": " + path + ".kind is missing: write anthropic, openai-compatible or ollama");
    ProviderKind kind;
    try {
      kind = ProviderKind.fromWire(str(kindNode, path + ".kind", null, env));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(kindNode.where() + ": " + path + ".kind: " + e.getMessage());
    }
    String baseUrlEnv = str(m.get("base_url_env"), path + ".base_url_env", null, env);
    String baseUrl = str(m.get("base_url"), path + ".base_url", null, env);
    if (baseUrlEnv != null) {
      String v = env.get(baseUrlEnv);
      if (v != null && !v.isBlank()) baseUrl = v.trim();
    }
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new ConfigException(n.where() + ": " + path + ".base_url is missing: write the provider's root URL, e.g. http://127.0.0.1:9000/v1");
    }
    if (!baseUrl.contains("://")) baseUrl = "http://" + baseUrl;
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new ConfigException(where(m.get("base_url"), n) + ": " + path + ".base_url '" + baseUrl + "' must be an http:// or https:// URL");
    }
    String apiPrefix;
    if (m.containsKey("api_prefix")) {
      apiPrefix = str(m.get("api_prefix"), path + ".api_prefix", "", env);
      if (!apiPrefix.isEmpty() && !apiPrefix.startsWith("/")) {
        throw new ConfigException(m.get("api_prefix").where() + ": " + path + ".api_prefix must be empty or start with '/'");
      }
    } else {
      apiPrefix = kind == ProviderKind.ANTHROPIC ? "/v1" : "";
    }
    String keyEnv = str(m.get("api_key_env"), path + ".api_key_env", null, env);
    if (keyEnv != null && keyEnv.isBlank()) keyEnv = null;
    if (keyEnv != null && !keyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new ConfigException(m.get("api_key_env").where() + ": " + path + ".api_key_env must name an environment variable (e.g. MY_KEY), not hold the key itself");
    }
    Secret key = null;
    if (keyEnv != null) {
      String v = env.get(keyEnv);
      if (v != null && !v.isBlank()) key = new Secret(v.trim());
    }
    Map<String, ModelSpec> models = new LinkedHashMap<>();
    List<String> order = new ArrayList<>();
    Map<String, Node> mm = mapOf(m.get("models"), path + ".models", null, env);
    for (Map.Entry<String, Node> e : mm.entrySet()) {
      models.put(e.getKey(), model(path + ".models." + e.getKey(), e.getKey(), e.getValue(), env));
      order.add(e.getKey());
    }
    if (models.isEmpty()) {
      throw new ConfigException(n.where() + ": " + path + ".models is empty: list at least one model with its context_window and prices");
    }
    Timeouts t = timeouts(m.get("timeouts"), path + ".timeouts", globalTimeouts, env);
    int conc = intIn(m.get("max_concurrency"), path + ".max_concurrency", 0, 0, 100_000, env);
    int rpm = intIn(m.get("rpm"), path + ".rpm", 0, 0, 100_000_000, env);
    int tpm = intIn(m.get("tpm"), path + ".tpm", 0, 0, Integer.MAX_VALUE, env);
    boolean enabled = bool(m.get("enabled"), path + ".enabled", true, env);
    ProviderSettings s = new ProviderSettings(name, kind, baseUrl, apiPrefix, key, keyEnv, models, t, conc, rpm, tpm);
    return new ProviderConfig(name, s, order, enabled);
  }

  private static ModelSpec model(String path, String id, Node n, Map<String, String> env) {
    Map<String, Node> m = mapOf(n, path, MODEL_KEYS, env);
    for (String req : List.of("context_window", "input_usd_per_mtok", "output_usd_per_mtok")) {
      if (!m.containsKey(req)) throw new ConfigException(n.where() + ": " + path + "." + req + " is missing (every model needs context_window, input_usd_per_mtok and output_usd_per_mtok)");
    }
    int ctx = intIn(m.get("context_window"), path + ".context_window", 0, 1, Integer.MAX_VALUE, env);
    double in = dblIn(m.get("input_usd_per_mtok"), path + ".input_usd_per_mtok", env);
    double out = dblIn(m.get("output_usd_per_mtok"), path + ".output_usd_per_mtok", env);
    Double cached = m.containsKey("cached_input_usd_per_mtok") ? dblIn(m.get("cached_input_usd_per_mtok"), path + ".cached_input_usd_per_mtok", env) : null;
    Set<Capability> caps = EnumSet.noneOf(Capability.class);
    Node cn = m.get("capabilities");
    if (cn != null && cn.value != null) {
      if (!cn.isList()) throw new ConfigException(cn.where() + ": " + path + ".capabilities must be a list such as [json, tools, continuation]");
      for (Node c : cn.list()) {
        String s = str(c, path + ".capabilities", null, env);
        try {
          caps.add(Capability.fromWire(s));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(c.where() + ": " + path + ".capabilities: " + e.getMessage());
        }
      }
    }
    return new ModelSpec(id, ctx, in, out, cached, caps);
  }

  private static TaskConfig task(String name, Node n, Map<String, ProviderConfig> providers, Map<String, String> env) {
    String path = "tasks." + name;
    if (name.equals("auto")) throw new ConfigException(n.where() + ": 'auto' is reserved (it means: classify the request); name the task otherwise");
    Map<String, Node> m = mapOf(n, path, TASK_KEYS, env);
    Node cn = m.get("chain");
    if (cn == null || !cn.isList() || cn.list().isEmpty()) {
      throw new ConfigException(n.where() + ": " + path + ".chain must be a non-empty list of <provider>/<model>");
    }
    List<Target> chain = new ArrayList<>();
    for (Node c : cn.list()) {
      String s = str(c, path + ".chain", null, env);
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
    int typical = intIn(m.get("typical_output_tokens"), path + ".typical_output_tokens", 500, 1, 10_000_000, env);
    return new TaskConfig(name, chain, typical, keywords(m.get("keywords"), path + ".keywords", env));
  }

  /** Optional list of non-blank phrases, lower-cased (the classifier matches lower-cased text). */
  private static List<String> keywords(Node n, String path, Map<String, String> env) {
    if (n == null || n.value == null) return List.of();
    if (!n.isList()) throw new ConfigException(n.where() + ": " + path + " must be a list of phrases such as [\"lead score\", bant]");
    List<String> out = new ArrayList<>();
    for (Node k : n.list()) {
      String s = str(k, path, null, env);
      if (s == null || s.isBlank()) throw new ConfigException(k.where() + ": " + path + " has an empty phrase");
      String lower = s.toLowerCase(java.util.Locale.ROOT);
      if (!out.contains(lower)) out.add(lower);
    }
    return out;
  }

  private static Timeouts timeouts(Node n, String path, Timeouts base, Map<String, String> env) {
    if (n == null) return base;
    Map<String, Node> m = mapOf(n, path, TIMEOUT_KEYS, env);
    return new Timeouts(
        longIn(m.get("connect_ms"), path + ".connect_ms", base.connectMs(), 1, 86_400_000, env),
        longIn(m.get("first_token_ms"), path + ".first_token_ms", base.firstTokenMs(), 1, 86_400_000, env),
        longIn(m.get("idle_ms"), path + ".idle_ms", base.idleMs(), 1, 86_400_000, env),
        longIn(m.get("total_ms"), path + ".total_ms", base.totalMs(), 1, 86_400_000, env));
  }

  // ---------------------------------------------------------------- scalar helpers

  private static String where(Node n, Node parent) {
    return n != null ? n.where() : parent != null ? parent.where() : "config";
  }

  /** A mapping node's entries; checks keys against {@code allowed} (null = any key). Null node = empty. */
  private static Map<String, Node> mapOf(Node n, String path, Set<String> allowed, Map<String, String> env) {
    if (n == null || n.value == null) return Map.of();
    if (!n.isMap()) throw new ConfigException(n.where() + ": " + path + " must be a mapping of keys, not '" + n.value + "'");
    if (allowed != null) {
      for (Map.Entry<String, Node> e : n.map().entrySet()) {
        if (!allowed.contains(e.getKey())) {
          throw new ConfigException(e.getValue().where() + ": unknown key '" + e.getKey() + "' in " + path
              + " (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
      }
    }
    return n.map();
  }

  private static String substitute(Node n, String s, String path, Map<String, String> env) {
    if (s.indexOf("${") < 0) return s;
    Matcher mt = VAR.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (mt.find()) {
      String v = env.get(mt.group(1));
      if (v == null || v.isEmpty()) {
        if (mt.group(2) != null) v = mt.group(2);
        else throw new ConfigException(n.where() + ": " + path + " uses ${" + mt.group(1) + "} but that environment variable is not set"
            + " (set it, or write ${" + mt.group(1) + ":-default})");
      }
      mt.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    mt.appendTail(sb);
    return sb.toString();
  }

  private static String str(Node n, String path, String dflt, Map<String, String> env) {
    if (n == null || n.value == null) return dflt;
    if (n.isMap() || n.isList()) throw new ConfigException(n.where() + ": " + path + " must be a single value");
    return substitute(n, String.valueOf(n.value), path, env);
  }

  private static Object scalar(Node n, String path, Map<String, String> env) {
    if (n.value instanceof String s) return substitute(n, s, path, env);
    return n.value;
  }

  private static long longIn(Node n, String path, long dflt, long min, long max, Map<String, String> env) {
    if (n == null || n.value == null) return dflt;
    Object v = scalar(n, path, env);
    long l;
    try {
      if (v instanceof Number num && (num instanceof Integer || num instanceof Long || num instanceof java.math.BigInteger)) l = num.longValue();
      else if (v instanceof String s) l = Long.parseLong(s.trim());
      else throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw new ConfigException(n.where() + ": " + path + " must be a whole number, not '" + v + "'");
    }
    if (l < min || l > max) throw new ConfigException(n.where() + ": " + path + " must be between " + min + " and " + max + ", not " + l);
    return l;
  }

  private static int intIn(Node n, String path, int dflt, int min, int max, Map<String, String> env) {
    return (int) longIn(n, path, dflt, min, max, env);
  }

  private static double dblIn(Node n, String path, Map<String, String> env) {
    Object v = scalar(n, path, env);
    double d;
    try {
      if (v instanceof Number num) d = num.doubleValue();
      else if (v instanceof String s) d = Double.parseDouble(s.trim());
      else throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw new ConfigException(n.where() + ": " + path + " must be a number, not '" + v + "'");
    }
    if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) throw new ConfigException(n.where() + ": " + path + " must be zero or more, not " + d);
    return d;
  }

  private static Double optDouble(Node n, String path, Map<String, String> env) {
    if (n == null || n.value == null) return null;
    return dblIn(n, path, env);
  }

  private static boolean bool(Node n, String path, boolean dflt, Map<String, String> env) {
    if (n == null || n.value == null) return dflt;
    Object v = scalar(n, path, env);
    if (v instanceof Boolean b) return b;
    if ("true".equals(v)) return true;
    if ("false".equals(v)) return false;
    throw new ConfigException(n.where() + ": " + path + " must be true or false, not '" + v + "'");
  }
}
