package dev.salesagent.router.provider;

import dev.salesagent.router.error.ErrorDialect;
import io.vertx.core.Vertx;

/**
 * What one provider folder ({@code router/provider/<name>/}) brings to the router, registered with one line in
 * {@code provider/registry/Providers}. Every part is optional: a folder may bring a wire protocol (Anthropic, OpenAI
 * Chat Completions, Ollama), a predefined provider's defaults (base URL, key variable, models and prices), what its
 * error identifiers mean, or its own endpoint rules on another folder's protocol (DeepSeek).
 *
 * <p>This package is the SPI: it names no folder; the folders implement it.
 */
public interface ProviderModule {

  /** The folder's name. */
  String name();

  /** The wire protocol this folder implements, or {@code null}. */
  default WireProtocol protocol() {
    return null;
  }

  /**
   * Its own adapter for a provider configured with another folder's protocol (DeepSeek's beta endpoint on
   * {@code openai-compatible}), or {@code null} when {@code settings} is not its provider. Asked before the protocol.
   */
  default ProviderAdapter adapterFor(Vertx vertx, ProviderSettings settings, ErrorDialect errors) {
    return null;
  }

  /** What this provider's error bodies look like and what its identifiers mean. */
  default ErrorDialect errors() {
    return ErrorDialect.NONE;
  }

  /**
   * The classpath resource with this folder's predefined provider(s): a YAML {@code providers:} mapping in the
   * configuration's own format, merged under the user's file; {@code null} when it predefines none.
   */
  default String defaults() {
    return null;
  }
}
