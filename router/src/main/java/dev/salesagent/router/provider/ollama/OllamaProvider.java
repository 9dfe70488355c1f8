package dev.salesagent.router.provider.ollama;

import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.provider.ProviderKind;
import dev.salesagent.router.provider.ProviderModule;
import dev.salesagent.router.provider.WireProtocol;

/** Ollama: its native protocol ({@code kind: ollama}), its errors, the predefined local {@code ollama} provider. */
public final class OllamaProvider implements ProviderModule {
  public static final ProviderKind KIND = ProviderKind.of("ollama");

  private static final WireProtocol PROTOCOL = new WireProtocol(KIND, "", OllamaAdapter::new);

  @Override
  public String name() {
    return "ollama";
  }

  @Override
  public WireProtocol protocol() {
    return PROTOCOL;
  }

  @Override
  public ErrorDialect errors() {
    return OllamaErrors.DIALECT;
  }

  @Override
  public String defaults() {
    return "dev/salesagent/router/provider/ollama/defaults.yaml";
  }
}
