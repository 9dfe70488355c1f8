package dev.salesagent.router.model;

import java.util.Objects;

/**
 * A prompt-cache breakpoint (Anthropic {@code cache_control}) on the part it marks: the prompt up to and including
 * that part may be cached. Providers that cache automatically (OpenAI-compatible, DeepSeek) or not at all (Ollama)
 * ignore it.
 *
 * @param type {@code ephemeral} (the only type the Messages API knows today)
 * @param ttl  {@code "5m"}, {@code "1h"}, or {@code null} for the provider's default (5 minutes)
 */
public record CacheControl(String type, String ttl) {
  public static final CacheControl EPHEMERAL = new CacheControl("ephemeral", null);

  public CacheControl {
    Objects.requireNonNull(type, "type");
  }
}
