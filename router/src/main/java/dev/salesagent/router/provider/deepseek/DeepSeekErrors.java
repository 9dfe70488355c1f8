package dev.salesagent.router.provider.deepseek;

import static dev.salesagent.router.error.ErrorSign.OUT_OF_CREDIT;

import dev.salesagent.router.error.ErrorDialect;

/**
 * DeepSeek's errors are OpenAI-shaped (read by {@code OpenAiErrors}); its own name is {@code insufficient_balance}, the
 * account out of credit (402, or a 429 that waiting does not cure).
 */
public final class DeepSeekErrors {
  private DeepSeekErrors() {}

  public static final ErrorDialect DIALECT = ErrorDialect.builder()
      .ids(OUT_OF_CREDIT, "insufficient_balance")
      .build();
}
