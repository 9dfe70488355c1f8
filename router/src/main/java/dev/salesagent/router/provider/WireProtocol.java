package dev.salesagent.router.provider;

import dev.salesagent.router.error.ErrorDialect;
import io.vertx.core.Vertx;

/**
 * A wire protocol a provider folder implements.
 *
 * @param kind             its name under {@code providers.<name>.kind}
 * @param defaultApiPrefix the {@code api_prefix} of a provider that sets none (Anthropic {@code /v1}, others {@code ""})
 * @param adapters         builds the adapter of one configured provider
 */
public record WireProtocol(ProviderKind kind, String defaultApiPrefix, Factory adapters) {

  /** Builds an adapter; {@code errors} is what every registered provider's errors mean. */
  @FunctionalInterface
  public interface Factory {
    ProviderAdapter create(Vertx vertx, ProviderSettings settings, ErrorDialect errors);
  }
}
