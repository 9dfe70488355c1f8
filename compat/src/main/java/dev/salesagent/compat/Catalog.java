package dev.salesagent.compat;

import dev.salesagent.router.config.RetiredModels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.provider.registry.ProviderRegistry;
import dev.salesagent.router.provider.registry.Providers;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.provider.ModelSpec;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The model catalog as the router ships it (its built-in configuration, read through {@link ConfigLoader}, so a
 * refreshed catalog is picked up without touching this class), plus what an import needs on top: how other gateways
 * spell the same model, and what a model the providers retired is now served as.
 */
public final class Catalog {
  /** Anthropic's dated snapshots ({@code -20250929}), {@code -latest}, Vertex-style {@code @20250929}. */
  private static final Pattern SNAPSHOT = Pattern.compile("(-\\d{8}|@\\d{8}|-latest|-v\\d+:\\d+)$");

  /**
   * The successor of a model id its provider retired, from the router's list of retired ids
   * ({@link RetiredModels}: end of life and replacement, with sources in docs/CONFIGURATION.md), or {@code null}.
   */
  private static String successor(Vendor v, String model) {
    RetiredModels.Retired r = RetiredModels.of(model);
    return r != null && r.provider().equals(v.providerName()) ? r.replacement() : null;
  }

  private static final Catalog CURRENT = new Catalog();

  private final RouterConfig defaults;
  private final JsonNode tree;

  private Catalog() {
    this.defaults = ConfigLoader.loadYaml(null, null, Map.of());
    // Each predefined provider's defaults live in its folder (router/provider/<name>/defaults.yaml); merge their
    // `providers` blocks so a vendor's keys (base_url_env, …) are read where the router reads them.
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    com.fasterxml.jackson.databind.node.ObjectNode providers = yaml.createObjectNode();
    for (ProviderRegistry.Defaults d : Providers.BUILT_IN.defaults()) {
      try {
        JsonNode block = yaml.readTree(d.yaml()).path("providers");
        if (block.isObject()) providers.setAll((com.fasterxml.jackson.databind.node.ObjectNode) block);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + d.resource(), e);
      }
    }
    this.tree = yaml.createObjectNode().set("providers", providers);
  }

  public static Catalog current() {
    return CURRENT;
  }

  public RouterConfig.ProviderConfig provider(Vendor v) {
    return defaults.provider(v.providerName());
  }

  /** The variable that overrides a predefined provider's base URL ({@code ANTHROPIC_BASE_URL}, {@code OLLAMA_HOST}, …). */
  public String baseUrlEnv(Vendor v) {
    JsonNode n = tree.path("providers").path(v.providerName()).get("base_url_env");
    return n == null || n.isNull() ? null : n.asText();
  }

  public ModelSpec spec(Vendor v, String model) {
    RouterConfig.ProviderConfig p = provider(v);
    return p == null ? null : p.settings().model(model);
  }

  public List<String> models(Vendor v) {
    RouterConfig.ProviderConfig p = provider(v);
    return p == null ? List.of() : p.modelOrder();
  }

  /** The id without a snapshot date or {@code -latest}, lower-case; Ollama's {@code :latest} tag dropped. */
  public static String normalise(Vendor v, String model) {
    String m = model.trim();
    if (v == Vendor.OLLAMA) return m.endsWith(":latest") ? m.substring(0, m.length() - 7) : m;
    if (v == Vendor.ANTHROPIC || v == Vendor.CEREBRAS || v == Vendor.DEEPSEEK) {
      m = m.toLowerCase(Locale.ROOT);
      String before;
      do {
        before = m;
        m = SNAPSHOT.matcher(m).replaceFirst("");
      } while (!m.equals(before));
    }
    return m;
  }

  /**
   * What a predefined provider's model id is in the current catalog: the same id (after {@link #normalise}), or the
   * successor of a retired one. {@code null} when the catalog has no such model and no successor is known.
   */
  public String current(Vendor v, String model) {
    if (!v.predefined()) return null;
    String m = normalise(v, model);
    if (spec(v, m) != null) return m;
    String successor = successor(v, m);
    return successor != null && spec(v, successor) != null ? successor : null;
  }

  /** Whether {@link #current} maps {@code model} to another id because the provider retired it. */
  public boolean retired(Vendor v, String model) {
    return successor(v, normalise(v, model)) != null;
  }

  /**
   * The catalog model of the same family for an id the catalog does not have (an older Claude Sonnet → the catalog's
   * Sonnet), else the provider's default model. Only used by imports, always with a note.
   */
  public String closest(Vendor v, String model) {
    String m = model.toLowerCase(Locale.ROOT);
    for (String family : List.of("opus", "sonnet", "haiku", "pro", "flash")) {
      if (!m.contains(family)) continue;
      for (String c : models(v)) if (c.contains(family)) return c;
    }
    RouterConfig.ProviderConfig p = provider(v);
    return p == null ? null : p.defaultModel();
  }
}
