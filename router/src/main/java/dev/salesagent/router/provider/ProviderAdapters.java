package dev.salesagent.router.provider;

import dev.salesagent.router.provider.anthropic.AnthropicAdapter;
import dev.salesagent.router.provider.ollama.OllamaAdapter;
import dev.salesagent.router.provider.openai.OpenAiCompatibleAdapter;
import io.vertx.core.Vertx;

/** Creates the adapter for a provider's wire protocol. Each adapter owns one pooled HTTP client: close it when done. */
public final class ProviderAdapters {
  private ProviderAdapters() {}

  public static ProviderAdapter create(Vertx vertx, ProviderSettings s) {
    return switch (s.kind()) {
      case ANTHROPIC -> new AnthropicAdapter(vertx, s);
      case OPENAI_COMPATIBLE -> new OpenAiCompatibleAdapter(vertx, s);
      case OLLAMA -> new OllamaAdapter(vertx, s);
    };
  }
}
