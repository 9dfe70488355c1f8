package dev.salesagent.router.provider.deepseek;

import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.provider.ProviderModule;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.provider.openai.OpenAiProvider;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.Locale;

/**
 * DeepSeek: the predefined {@code deepseek} provider, its out-of-credit code, and its own adapter on OpenAI Chat
 * Completions ({@link DeepSeekAdapter}: Chat Prefix Completion on the beta root for continuations, thinking off).
 *
 * <p>A provider is DeepSeek when it is configured {@code openai-compatible} and named {@code deepseek} (any case) or
 * its base URL's host is {@code deepseek.com} or a subdomain (no configuration key).
 */
public final class DeepSeekProvider implements ProviderModule {

  @Override
  public String name() {
    return "deepseek";
  }

  @Override
  public ProviderAdapter adapterFor(Vertx vertx, ProviderSettings settings, ErrorDialect errors) {
    if (!settings.kind().equals(OpenAiProvider.KIND) || !isDeepSeek(settings)) return null;
    return new DeepSeekAdapter(vertx, settings, errors);
  }

  @Override
  public ErrorDialect errors() {
    return DeepSeekErrors.DIALECT;
  }

  @Override
  public String defaults() {
    return "dev/salesagent/router/provider/deepseek/defaults.yaml";
  }

  /** DeepSeek: the provider is named {@code deepseek}, or its base URL is on {@code deepseek.com} (any subdomain). */
  public static boolean isDeepSeek(ProviderSettings settings) {
    if (namedDeepSeek(settings)) return true;
    try {
      String host = URI.create(settings.baseUrl()).getHost();
      if (host == null) return false;
      host = host.toLowerCase(Locale.ROOT);
      return host.equals("deepseek.com") || host.endsWith(".deepseek.com");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The provider is named {@code deepseek} (any case). */
  static boolean namedDeepSeek(ProviderSettings settings) {
    return settings.name().toLowerCase(Locale.ROOT).equals("deepseek");
  }

  /**
   * DeepSeek's Chat Prefix Completion URL. The API root is {@code baseUrl + apiPrefix} (where {@code /chat/completions}
   * would go); the beta root replaces a trailing {@code /v1} and is appended otherwise; a root already ending in
   * {@code /beta} is kept: {@code https://api.deepseek.com} and {@code https://api.deepseek.com/v1} →
   * {@code https://api.deepseek.com/beta/chat/completions}; the emulator's {@code http://127.0.0.1:P/openai/v1} and
   * {@code http://127.0.0.1:P/openai} → {@code http://127.0.0.1:P/openai/beta/chat/completions}.
   */
  public static String prefixCompletionUrl(ProviderSettings settings) {
    String root = settings.url("");
    if (!root.endsWith("/beta")) {
      if (root.endsWith("/v1")) root = root.substring(0, root.length() - "/v1".length());
      root += "/beta";
    }
    return root + "/chat/completions";
  }
}
