package dev.salesagent.router.model;

/**
 * Reasoning the caller asked for (Anthropic's {@code thinking}): {@code enabled} with a token budget, or
 * {@code adaptive} (the model decides how much; newer Claude models accept only this). Providers that think on their
 * own terms translate it (DeepSeek: thinking on; Ollama: {@code think}); a request without it asks for none.
 *
 * @param budgetTokens for {@code enabled}: at least 1,024 and below the request's {@code max_tokens}; null for adaptive
 */
public record Thinking(Mode mode, Integer budgetTokens) {
  public enum Mode { ENABLED, ADAPTIVE }

  public static final int MIN_BUDGET = 1024;

  public Thinking {
    if (mode == null) throw new IllegalArgumentException("thinking needs a mode");
    if (mode == Mode.ENABLED && (budgetTokens == null || budgetTokens < MIN_BUDGET)) {
      throw new IllegalArgumentException("thinking.budget_tokens must be at least " + MIN_BUDGET);
    }
    if (mode == Mode.ADAPTIVE) budgetTokens = null;
  }

  public static Thinking enabled(int budgetTokens) {
    return new Thinking(Mode.ENABLED, budgetTokens);
  }

  public static final Thinking ADAPTIVE = new Thinking(Mode.ADAPTIVE, null);
}
