package dev.salesagent.compat;

import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.provider.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Our configuration as an importer builds it: providers (one per distinct {@link Endpoint}), tasks (one per model
 * group of the source, the chain being its deployments then its fallbacks), the few global settings that map, and
 * the notes. {@link #toYaml} writes it as a file our loader reads; only keys that differ from the built-in defaults are
 * written, so the catalog stays the one the router ships.
 */
public final class DraftConfig {
  private final Catalog catalog = Catalog.current();
  private final Map<String, Provider> providers = new LinkedHashMap<>();
  private final Map<String, List<String>> tasks = new LinkedHashMap<>();
  private final List<Note> notes = new ArrayList<>();
  private final Set<String> baseUrlVars = new LinkedHashSet<>();

  public Integer maxRetries;
  public Long firstTokenMs;
  public Long totalMs;
  public Integer circuitMinimumCalls;
  public Long circuitOpenMs;
  public Double dailyUsd;
  public Double monthlyUsd;

  private static final class Provider {
    final String name;
    final Endpoint endpoint;
    /** Overrides the predefined provider of the same name (only differing keys are written). */
    final boolean override;
    final Map<String, DeclaredModel> models = new LinkedHashMap<>();

    Provider(String name, Endpoint endpoint, boolean override) {
      this.name = name;
      this.endpoint = endpoint;
      this.override = override;
    }
  }

  public Catalog catalog() { return catalog; }

  public void note(String where, String what) {
    notes.add(new Note(where, what));
  }

  public List<Note> notes() { return List.copyOf(notes); }

  /** Variables the output reads a base URL from ({@code ${VAR}}); loading needs them set. */
  public Set<String> baseUrlVars() { return Set.copyOf(baseUrlVars); }

  /** The provider serving {@code e}: an existing one with the same endpoint, else a new one. */
  public String provider(Endpoint e) {
    for (Provider p : providers.values()) if (p.endpoint.equals(e)) return p.name;
    Vendor v = e.vendor();
    boolean override = v.predefined() && !providers.containsKey(v.providerName());
    String stem = nameHint(v, e.baseUrl(), e.baseUrlVar());
    String name = stem;
    for (int i = 2; providers.containsKey(name) || (!override && v.predefined() && name.equals(v.providerName())); i++) {
      name = stem + "-" + i;
    }
    if (e.baseUrlVar() != null) baseUrlVars.add(e.baseUrlVar());
    providers.put(name, new Provider(name, e, override));
    return name;
  }

  /**
   * The name a provider for this endpoint gets: the vendor's, or for another OpenAI-compatible server the name in its
   * host ({@code https://api.awanllm.com/v1} → {@code awanllm}) or its variable ({@code COMPANY_LLM_BASE} →
   * {@code company-llm}).
   */
  public static String nameHint(Vendor v, String baseUrl, String baseUrlVar) {
    if (v != Vendor.OPENAI_COMPATIBLE) return v.providerName();
    String hint = null;
    if (baseUrlVar != null) {
      hint = baseUrlVar.toLowerCase(java.util.Locale.ROOT).replaceAll("(_api)?_(base|url|base_url|host|endpoint)$", "");
    } else if (baseUrl != null) {
      String host = baseUrl.replaceFirst("^[a-zA-Z]+://", "").replaceFirst("[:/].*$", "").toLowerCase(java.util.Locale.ROOT);
      if (!host.matches("[0-9.]+|localhost|\\[.*")) {
        String[] labels = host.replaceFirst("^(api|www|llm|inference)\\.", "").split("\\.");
        hint = labels[0];
      }
    }
    if (hint == null) return v.providerName();
    hint = hint.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return hint.isEmpty() || hint.length() > 40 ? v.providerName() : hint;
  }

  /**
   * The target {@code provider/model}. {@code declared} is written under the provider's models (a model the catalog
   * lacks); {@code null} means a catalog model of the provider's vendor.
   */
  public String target(String provider, String model, DeclaredModel declared) {
    Provider p = Objects.requireNonNull(providers.get(provider), provider);
    if (declared != null) {
      p.models.put(model, declared);
    } else if (!p.override) {
      ModelSpec s = catalog.spec(p.endpoint.vendor(), model);
      if (s == null) throw new IllegalStateException(provider + " has no catalog model " + model);
      p.models.putIfAbsent(model, DeclaredModel.of(s));
    }
    return provider + "/" + model;
  }

  public boolean hasTask(String name) { return tasks.containsKey(name); }

  public List<String> chain(String task) { return tasks.get(task); }

  public void task(String name, List<String> chain) {
    List<String> dedup = new ArrayList<>(new LinkedHashSet<>(chain));
    tasks.put(name, dedup);
  }

  public Set<String> taskNames() { return tasks.keySet(); }

  public int providerCount() { return providers.size(); }

  // ------------------------------------------------------------------------------------------------ writing

  /** The file: the header lines and every note as comments, then the keys. */
  public String toYaml(List<String> header) {
    StringBuilder y = new StringBuilder();
    for (String h : header) y.append("# ").append(YamlText.comment(h)).append('\n');
    if (notes.isEmpty()) {
      y.append("#\n# Nothing needs your attention: every key of the source was carried over.\n");
    } else {
      y.append("#\n# Needs your attention (").append(notes.size()).append("); nothing was dropped silently:\n");
      for (Note n : notes) y.append("#  - ").append(YamlText.comment(n.toString())).append('\n');
    }
    y.append('\n');
    if (!providers.isEmpty()) {
      y.append("providers:\n");
      for (Provider p : providers.values()) writeProvider(y, p);
    }
    if (!tasks.isEmpty()) {
      y.append("tasks:\n");
      for (Map.Entry<String, List<String>> t : tasks.entrySet()) {
        y.append("  ").append(YamlText.str(t.getKey())).append(":\n");
        y.append("    chain: ").append(YamlText.list(t.getValue())).append('\n');
      }
    }
    writeResilience(y);
    if (dailyUsd != null || monthlyUsd != null) {
      y.append("budgets:\n");
      if (dailyUsd != null) y.append("  daily_usd: ").append(YamlText.num(dailyUsd)).append('\n');
      if (monthlyUsd != null) y.append("  monthly_usd: ").append(YamlText.num(monthlyUsd)).append('\n');
    }
    return y.toString();
  }

  private void writeProvider(StringBuilder y, Provider p) {
    Endpoint e = p.endpoint;
    Vendor v = e.vendor();
    RouterConfig.ProviderConfig base = v.predefined() ? catalog.provider(v) : null;
    List<String> lines = new ArrayList<>();
    if (!p.override) {
      lines.add("kind: " + (base != null ? base.settings().kind().wire() : "openai-compatible"));
    }
    String baseUrl = e.baseUrlVar() != null ? "${" + e.baseUrlVar() + "}" : e.baseUrl();
    if (baseUrl == null && !p.override) baseUrl = base != null ? base.settings().baseUrl() : v.defaultBaseUrl();
    if (baseUrl != null) lines.add("base_url: " + YamlText.str(baseUrl));
    if (!p.override && e.baseUrl() == null && e.baseUrlVar() == null && base != null && catalog.baseUrlEnv(v) != null) {
      lines.add("base_url_env: " + catalog.baseUrlEnv(v)); // a copy follows the same variable as the original
    }
    String prefix = e.apiPrefix();
    if (prefix == null && !p.override) prefix = base != null ? base.settings().apiPrefix() : "";
    if (prefix != null) lines.add("api_prefix: " + YamlText.str(prefix));
    String defaultKey = base != null ? base.settings().apiKeyEnv() : null;
    if (!p.override || !Objects.equals(e.apiKeyEnv(), defaultKey)) {
      if (e.apiKeyEnv() != null) lines.add("api_key_env: " + e.apiKeyEnv());
      else if (p.override) lines.add("api_key_env: \"\"");
    }
    if (e.maxConcurrency() > 0) lines.add("max_concurrency: " + e.maxConcurrency());
    if (e.rpm() > 0) lines.add("rpm: " + e.rpm());
    if (e.tpm() > 0) lines.add("tpm: " + e.tpm());
    if (e.firstTokenMs() != null || e.totalMs() != null) {
      List<String> t = new ArrayList<>();
      if (e.firstTokenMs() != null) t.add("first_token_ms: " + e.firstTokenMs());
      if (e.totalMs() != null) t.add("total_ms: " + e.totalMs());
      lines.add("timeouts: {" + String.join(", ", t) + "}");
    }
    y.append("  ").append(YamlText.str(p.name)).append(":");
    if (lines.isEmpty() && p.models.isEmpty()) {
      y.append(" {}\n"); // named so its models serve the tasks below; nothing to change
      return;
    }
    y.append('\n');
    for (String l : lines) y.append("    ").append(l).append('\n');
    if (!p.models.isEmpty()) {
      y.append("    models:\n");
      for (DeclaredModel m : p.models.values()) {
        y.append("      ").append(YamlText.str(m.id())).append(": {context_window: ").append(m.contextWindow())
            .append(", input_usd_per_mtok: ").append(YamlText.num(m.inputUsdPerMtok()))
            .append(", output_usd_per_mtok: ").append(YamlText.num(m.outputUsdPerMtok()));
        if (m.cachedInputUsdPerMtok() != null) {
          y.append(", cached_input_usd_per_mtok: ").append(YamlText.num(m.cachedInputUsdPerMtok()));
        }
        if (m.cacheWriteUsdPerMtok() != null) {
          y.append(", cache_write_usd_per_mtok: ").append(YamlText.num(m.cacheWriteUsdPerMtok()));
        }
        if (!m.capabilities().isEmpty()) y.append(", capabilities: ").append(YamlText.list(m.capabilities()));
        y.append("}\n");
      }
    }
  }

  private void writeResilience(StringBuilder y) {
    List<String> lines = new ArrayList<>();
    if (maxRetries != null) lines.add("max_retries: " + maxRetries);
    if (firstTokenMs != null || totalMs != null) {
      List<String> t = new ArrayList<>();
      if (firstTokenMs != null) t.add("first_token_ms: " + firstTokenMs);
      if (totalMs != null) t.add("total_ms: " + totalMs);
      lines.add("timeouts: {" + String.join(", ", t) + "}");
    }
    if (circuitMinimumCalls != null || circuitOpenMs != null) {
      List<String> c = new ArrayList<>();
      if (circuitMinimumCalls != null) {
        c.add("minimum_calls: " + circuitMinimumCalls);
        c.add("window_size: " + Math.max(20, circuitMinimumCalls));
      }
      if (circuitOpenMs != null) c.add("open_ms: " + circuitOpenMs);
      lines.add("circuit_breaker: {" + String.join(", ", c) + "}");
    }
    if (lines.isEmpty()) return;
    y.append("resilience:\n");
    for (String l : lines) y.append("  ").append(l).append('\n');
  }
}
