package dev.salesagent.router.model;

/**
 * Token counts as the provider reported them. {@code inputTokens} counts every prompt token, cached ones included.
 * A {@code null} field means the provider did not report it — never a guess.
 */
public record Usage(Integer inputTokens, Integer outputTokens, Integer cachedInputTokens) {
  public static final Usage UNKNOWN = new Usage(null, null, null);

  public boolean isKnown() {
    return inputTokens != null || outputTokens != null;
  }

  public int inputOrZero() { return inputTokens == null ? 0 : inputTokens; }
  public int outputOrZero() { return outputTokens == null ? 0 : outputTokens; }
  public int cachedOrZero() { return cachedInputTokens == null ? 0 : cachedInputTokens; }
}
