package dev.salesagent.router.provider.cerebras;

import dev.salesagent.router.error.ErrorDialect;
import dev.salesagent.router.provider.ProviderModule;

/**
 * Cerebras: the predefined {@code cerebras} provider (OpenAI Chat Completions under {@code /v1}) and its flat errors.
 */
public final class CerebrasProvider implements ProviderModule {

  @Override
  public String name() {
    return "cerebras";
  }

  @Override
  public ErrorDialect errors() {
    return CerebrasErrors.DIALECT;
  }

  @Override
  public String defaults() {
    return "dev/salesagent/router/provider/cerebras/defaults.yaml";
  }
}
