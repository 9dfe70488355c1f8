package dev.salesagent.router.provider;

import java.util.Set;

/**
 * A model as configured: its limits, prices (USD per million tokens) and capabilities.
 *
 * @param cachedInputUsdPerMtok price of a cached prompt token; {@code null} = same as input
 */
public record ModelSpec(
    String id,
    int contextWindow,
    double inputUsdPerMtok,
    double outputUsdPerMtok,
    Double cachedInputUsdPerMtok,
    Set<Capability> capabilities) {

  public ModelSpec {
    capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
    if (contextWindow <= 0) throw new IllegalArgumentException("context_window of " + id + " must be positive");
    if (inputUsdPerMtok < 0 || outputUsdPerMtok < 0) throw new IllegalArgumentException("prices of " + id + " must not be negative");
  }

  public boolean has(Capability c) { return capabilities.contains(c); }

  /** Cost in USD of the given token counts at this model's list prices. */
  public double costUsd(int inputTokens, int cachedInputTokens, int outputTokens) {
    int uncached = Math.max(0, inputTokens - cachedInputTokens);
    double cachedPrice = cachedInputUsdPerMtok == null ? inputUsdPerMtok : cachedInputUsdPerMtok;
    return (uncached * inputUsdPerMtok + cachedInputTokens * cachedPrice + outputTokens * outputUsdPerMtok) / 1_000_000d;
  }
}
