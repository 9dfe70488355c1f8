package dev.salesagent.router.provider;

import java.util.Set;

/**
 * A model as configured: its limits, prices (USD per million tokens) and capabilities.
 *
 * @param cachedInputUsdPerMtok price of a prompt token read from the provider's cache; {@code null} = same as input
 * @param cacheWriteUsdPerMtok  price of a prompt token written to the cache (Anthropic: 1.25 × input for the 5-minute
 *                              cache); {@code null} = same as input
 */
public record ModelSpec(
    String id,
    int contextWindow,
    double inputUsdPerMtok,
    double outputUsdPerMtok,
    Double cachedInputUsdPerMtok,
    Double cacheWriteUsdPerMtok,
    Set<Capability> capabilities) {

  public ModelSpec {
    capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
    if (contextWindow <= 0) throw new IllegalArgumentException("context_window of " + id + " must be positive");
    if (inputUsdPerMtok < 0 || outputUsdPerMtok < 0) throw new IllegalArgumentException("prices of " + id + " must not be negative");
  }

  public ModelSpec(String id, int contextWindow, double inputUsdPerMtok, double outputUsdPerMtok,
      Double cachedInputUsdPerMtok, Set<Capability> capabilities) {
    this(id, contextWindow, inputUsdPerMtok, outputUsdPerMtok, cachedInputUsdPerMtok, null, capabilities);
  }

  public boolean has(Capability c) { return capabilities.contains(c); }

  /** Cost in USD of the given token counts at this model's list prices (no cache writes). */
  public double costUsd(int inputTokens, int cachedInputTokens, int outputTokens) {
    return costUsd(inputTokens, cachedInputTokens, 0, outputTokens);
  }

  /**
   * Cost in USD at this model's list prices: {@code inputTokens} counts every prompt token, of which
   * {@code cachedInputTokens} were read from the cache and {@code cacheWriteTokens} written to it.
   */
  public double costUsd(int inputTokens, int cachedInputTokens, int cacheWriteTokens, int outputTokens) {
    int plain = Math.max(0, inputTokens - cachedInputTokens - cacheWriteTokens);
    double cachedPrice = cachedInputUsdPerMtok == null ? inputUsdPerMtok : cachedInputUsdPerMtok;
    double writePrice = cacheWriteUsdPerMtok == null ? inputUsdPerMtok : cacheWriteUsdPerMtok;
    return (plain * inputUsdPerMtok + cachedInputTokens * cachedPrice + cacheWriteTokens * writePrice
        + outputTokens * outputUsdPerMtok) / 1_000_000d;
  }
}
