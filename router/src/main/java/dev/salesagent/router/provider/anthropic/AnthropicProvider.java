package dev.salesagent.router.provider.anthropic;

import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.provider.ProviderKind;
import dev.salesagent.router.provider.ProviderModule;
import dev.salesagent.router.provider.WireProtocol;

/** Anthropic: the Messages protocol ({@code kind: anthropic}), its errors, the predefined {@code anthropic} provider. */
public final class AnthropicProvider implements ProviderModule {
  public static final ProviderKind KIND = ProviderKind.of("anthropic");

  private static final WireProtocol PROTOCOL = new WireProtocol(KIND, "/v1", AnthropicAdapter::new);

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public WireProtocol protocol() {
    return PROTOCOL;
  }

  @Override
  public ErrorDialect errors() {
    return AnthropicErrors.DIALECT;
  }

  @Override
  public String defaults() {
    return "dev/salesagent/router/provider/anthropic/defaults.yaml";
  }
}
