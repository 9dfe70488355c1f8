package dev.salesagent.router.provider.registry;

import dev.salesagent.router.provider.anthropic.AnthropicProvider;
import dev.salesagent.router.provider.cerebras.CerebrasProvider;
import dev.salesagent.router.provider.deepseek.DeepSeekProvider;
import dev.salesagent.router.provider.ollama.OllamaProvider;
import dev.salesagent.router.provider.openai.OpenAiProvider;
import java.util.List;

/**
 * The provider folders the router ships with. Adding a provider = a new folder under {@code router/provider/} and one
 * line here (docs/wire-adapters.md, "Adding a provider"). The order is the order of the predefined providers in the
 * configuration and in {@code providers} listings.
 */
public final class Providers {
  private Providers() {}

  public static final ProviderRegistry BUILT_IN = new ProviderRegistry(List.of(
      new AnthropicProvider(),
      new OpenAiProvider(),
      new CerebrasProvider(),
      new DeepSeekProvider(),
      new OllamaProvider()));
}
