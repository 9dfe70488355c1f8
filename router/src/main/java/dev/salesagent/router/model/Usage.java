package dev.salesagent.router.model;

/**
 * Token counts as the provider reported them. {@code inputTokens} counts every prompt token: cache reads and cache
 * writes included. A {@code null} field means the provider did not report it — never a guess.
 *
 * @param cachedInputTokens        prompt tokens read from the provider's prompt cache (OpenAI
 *                                 {@code prompt_tokens_details.cached_tokens}, DeepSeek {@code prompt_cache_hit_tokens},
 *                                 Anthropic {@code cache_read_input_tokens})
 * @param cacheCreationInputTokens prompt tokens written to the cache (Anthropic {@code cache_creation_input_tokens});
 *                                 priced above plain input
 */
public record Usage(Integer inputTokens, Integer outputTokens, Integer cachedInputTokens, Integer cacheCreationInputTokens) {
  public static final Usage UNKNOWN = new Usage(null, null, null, null);

  public Usage(Integer inputTokens, Integer outputTokens, Integer cachedInputTokens) {
    this(inputTokens, outputTokens, cachedInputTokens, null);
  }

  public boolean isKnown() {
    return inputTokens != null || outputTokens != null;
  }

  public int inputOrZero() { return inputTokens == null ? 0 : inputTokens; }
  public int outputOrZero() { return outputTokens == null ? 0 : outputTokens; }
  public int cachedOrZero() { return cachedInputTokens == null ? 0 : cachedInputTokens; }
  public int cacheCreationOrZero() { return cacheCreationInputTokens == null ? 0 : cacheCreationInputTokens; }
}
