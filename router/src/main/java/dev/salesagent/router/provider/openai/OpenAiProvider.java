package dev.salesagent.router.provider.openai;

import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.provider.ProviderKind;
import dev.salesagent.router.provider.ProviderModule;
import dev.salesagent.router.provider.WireProtocol;

/**
 * OpenAI Chat Completions ({@code kind: openai-compatible}) and its errors. It predefines no provider: Cerebras and
 * DeepSeek speak it from their own folders, and any other compatible server is added in the configuration.
 */
public final class OpenAiProvider implements ProviderModule {
  public static final ProviderKind KIND = ProviderKind.of("openai-compatible");

  private static final WireProtocol PROTOCOL = new WireProtocol(KIND, "", OpenAiCompatibleAdapter::new);

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public WireProtocol protocol() {
    return PROTOCOL;
  }

  @Override
  public ErrorDialect errors() {
    return OpenAiErrors.DIALECT;
  }
}
