package dev.salesagent.router.provider;

import java.util.Map;
import java.util.Objects;

/**
 * Everything an adapter needs to talk to one provider.
 *
 * @param baseUrl        service root without trailing slash; the adapter appends {@code apiPrefix} and its path
 * @param apiPrefix      path between root and the protocol's endpoints: Cerebras {@code /v1}, DeepSeek and custom
 *                       OpenAI-compatible providers {@code ""} (their base_url already ends where
 *                       {@code /chat/completions} goes), Anthropic {@code /v1}, Ollama {@code ""}
 * @param apiKey         {@code null} when the provider needs no key (Ollama) or none is set
 * @param apiKeyEnv      the variable the key comes from, {@code null} when no key is needed
 * @param maxConcurrency calls in flight at once (bulkhead); 0 = unlimited
 * @param rpm            client-side requests per minute, 0 = unlimited
 * @param tpm            client-side tokens per minute, 0 = unlimited
 */
public record ProviderSettings(
    String name,
    ProviderKind kind,
    String baseUrl,
    String apiPrefix,
    Secret apiKey,
    String apiKeyEnv,
    Map<String, ModelSpec> models,
    Timeouts timeouts,
    int maxConcurrency,
    int rpm,
    int tpm) {

  public ProviderSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(baseUrl, "baseUrl");
    baseUrl = stripTrailingSlash(baseUrl);
    apiPrefix = apiPrefix == null ? "" : stripTrailingSlash(apiPrefix);
    models = models == null ? Map.of() : Map.copyOf(models);
    timeouts = timeouts == null ? Timeouts.DEFAULT : timeouts;
  }

  /** A provider that needs a key and has none is configured but skipped by plans. */
  public boolean configured() {
    return apiKeyEnv == null || apiKey != null;
  }

  public ModelSpec model(String id) {
    return models.get(id);
  }

  /** {@code baseUrl + apiPrefix + path}. */
  public String url(String path) {
    return baseUrl + apiPrefix + path;
  }

  private static String stripTrailingSlash(String s) {
    String r = s.trim();
    while (r.endsWith("/")) r = r.substring(0, r.length() - 1);
    return r;
  }

  public ProviderSettings withBaseUrl(String url) {
    return new ProviderSettings(name, kind, url, apiPrefix, apiKey, apiKeyEnv, models, timeouts, maxConcurrency, rpm, tpm);
  }

  public ProviderSettings withApiKey(Secret key) {
    return new ProviderSettings(name, kind, baseUrl, apiPrefix, key, apiKeyEnv, models, timeouts, maxConcurrency, rpm, tpm);
  }

  public ProviderSettings withTimeouts(Timeouts t) {
    return new ProviderSettings(name, kind, baseUrl, apiPrefix, apiKey, apiKeyEnv, models, t, maxConcurrency, rpm, tpm);
  }
}
