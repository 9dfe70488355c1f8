package dev.salesagent.router.config;

import dev.salesagent.router.config.ConfigFile.At;
import dev.salesagent.router.config.ConfigFile.Val;
import dev.salesagent.router.config.RouterConfig.ProviderConfig;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.provider.ModelSpec;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.Secret;
import dev.salesagent.router.provider.Timeouts;
import dev.salesagent.router.provider.WireProtocol;
import dev.salesagent.router.provider.registry.ProviderRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks and resolves {@code providers.<name>}: the kind against the registered protocols (whose default
 * {@code api_prefix} applies), the base URL from the file or its variable, the key from its variable, the models.
 */
final class ProviderSection {
  private final ConfigValues values;
  private final ProviderRegistry registry;

  ProviderSection(ConfigValues values, ProviderRegistry registry) {
    this.values = values;
    this.registry = registry;
  }

  ProviderConfig provider(String name, At<ConfigFile.Provider> at, Timeouts globalTimeouts) {
    String path = "providers." + name;
    if (!name.matches("[a-z0-9][a-z0-9_.-]*")) {
      throw new ConfigException(at.where() + ": provider name '" + name + "' must be lower-case letters, digits, '.', '_' or '-'");
    }
    ConfigFile.Provider p = at.value() != null ? at.value()
        : new ConfigFile.Provider(null, null, null, null, null, null, null, null, null, null, null);
    if (p.kind() == null) throw new ConfigException(at.where() + ": " + path + ".kind is missing: write " + registry.kindNames());
    WireProtocol protocol;
    try {
      protocol = registry.protocol(values.str(p.kind(), path + ".kind", null));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(p.kind().where() + ": " + path + ".kind: " + e.getMessage());
    }
    String baseUrl = baseUrl(p, at, path);
    String apiPrefix = protocol.defaultApiPrefix();
    if (p.apiPrefix() != null) {
      apiPrefix = values.str(p.apiPrefix(), path + ".api_prefix", "");
      if (!apiPrefix.isEmpty() && !apiPrefix.startsWith("/")) {
        throw new ConfigException(p.apiPrefix().where() + ": " + path + ".api_prefix must be empty or start with '/'");
      }
    }
    String keyEnv = values.str(p.apiKeyEnv(), path + ".api_key_env", null);
    if (keyEnv != null && keyEnv.isBlank()) keyEnv = null;
    if (keyEnv != null && !keyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new ConfigException(p.apiKeyEnv().where() + ": " + path + ".api_key_env must name an environment variable (e.g. MY_KEY), not hold the key itself");
    }
    Secret key = null;
    if (keyEnv != null) {
      String v = values.env(keyEnv);
      if (v != null && !v.isBlank()) key = new Secret(v.trim());
    }
    Map<String, ModelSpec> models = new LinkedHashMap<>();
    if (p.models() != null) {
      p.models().forEach((id, m) -> models.put(id, model(path + ".models." + id, id, m)));
    }
    if (models.isEmpty()) {
      throw new ConfigException(at.where() + ": " + path + ".models is empty: list at least one model with its context_window and prices");
    }
    Timeouts t = ConfigLoader.timeouts(values, p.timeouts(), path + ".timeouts", globalTimeouts);
    int conc = values.intIn(p.maxConcurrency(), path + ".max_concurrency", 0, 0, 100_000);
    int rpm = values.intIn(p.rpm(), path + ".rpm", 0, 0, 100_000_000);
    int tpm = values.intIn(p.tpm(), path + ".tpm", 0, 0, Integer.MAX_VALUE);
    boolean enabled = values.bool(p.enabled(), path + ".enabled", true);
    ProviderSettings s = new ProviderSettings(name, protocol.kind(), baseUrl, apiPrefix, key, keyEnv, models, t, conc, rpm, tpm);
    return new ProviderConfig(name, s, List.copyOf(models.keySet()), enabled);
  }

  private String baseUrl(ConfigFile.Provider p, At<ConfigFile.Provider> at, String path) {
    String baseUrlEnv = values.str(p.baseUrlEnv(), path + ".base_url_env", null);
    String baseUrl = values.str(p.baseUrl(), path + ".base_url", null);
    if (baseUrlEnv != null) {
      String v = values.env(baseUrlEnv);
      if (v != null && !v.isBlank()) baseUrl = v.trim();
    }
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new ConfigException(at.where() + ": " + path + ".base_url is missing: write the provider's root URL, e.g. http://127.0.0.1:9000/v1");
    }
    if (!baseUrl.contains("://")) baseUrl = "http://" + baseUrl;
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new ConfigException(ConfigValues.where(p.baseUrl(), at) + ": " + path + ".base_url '" + dev.salesagent.router.error.Redaction.url(baseUrl) + "' must be an http:// or https:// URL");
    }
    return baseUrl;
  }

  private ModelSpec model(String path, String id, At<ConfigFile.Model> at) {
    ConfigFile.Model m = at.value() != null ? at.value() : new ConfigFile.Model(null, null, null, null, null, null);
    List<Val> required = new ArrayList<>();
    required.add(m.contextWindow());
    required.add(m.inputUsdPerMtok());
    required.add(m.outputUsdPerMtok());
    List<String> names = List.of("context_window", "input_usd_per_mtok", "output_usd_per_mtok");
    for (int i = 0; i < names.size(); i++) {
      if (required.get(i) == null) {
        throw new ConfigException(at.where() + ": " + path + "." + names.get(i) + " is missing (every model needs context_window, input_usd_per_mtok and output_usd_per_mtok)");
      }
    }
    int ctx = values.intIn(m.contextWindow(), path + ".context_window", 0, 1, Integer.MAX_VALUE);
    double in = values.dblIn(m.inputUsdPerMtok(), path + ".input_usd_per_mtok");
    double out = values.dblIn(m.outputUsdPerMtok(), path + ".output_usd_per_mtok");
    Double cached = m.cachedInputUsdPerMtok() != null ? values.dblIn(m.cachedInputUsdPerMtok(), path + ".cached_input_usd_per_mtok") : null;
    Double write = m.cacheWriteUsdPerMtok() != null ? values.dblIn(m.cacheWriteUsdPerMtok(), path + ".cache_write_usd_per_mtok") : null;
    Set<Capability> caps = EnumSet.noneOf(Capability.class);
    if (m.capabilities() != null) {
      for (Val c : m.capabilities()) {
        String s = values.str(c, path + ".capabilities", null);
        try {
          caps.add(Capability.fromWire(s));
        } catch (IllegalArgumentException | NullPointerException e) {
          throw new ConfigException(ConfigValues.where(c, at) + ": " + path + ".capabilities: " + (s == null
              ? "a capability must not be empty" : e.getMessage()));
        }
      }
    }
    return new ModelSpec(id, ctx, in, out, cached, write, caps);
  }
}
