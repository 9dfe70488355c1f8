package dev.salesagent.router.routing;

import java.time.Instant;

/**
 * One attempt as the ledger stores it. Tokens are what the provider reported ({@code null} when it did not and the
 * attempt was not charged); {@code costUsd} is computed from them at the target's list prices.
 *
 * @param usageEstimated the attempt ended without complete reported usage yet was charged (a stream cut or cancelled
 *                       after the upstream accepted it): at least one token count is the router's estimate, not the
 *                       provider's report. Totals of reported tokens must leave such rows out.
 * @param requestedModel what the caller asked for, as routed: {@code <provider>/<model>} or {@code <model>} when it
 *                       pinned one, {@code task:<task>} when it named a task, {@code auto} otherwise; {@code null} =
 *                       not known (rows written before it was recorded)
 * @param ttftMs         time to the first content token of a streamed attempt that produced one, else {@code null}
 * @param attempt        this attempt's place in its request, from 1; 0 = not known. The first attempt of a request
 *                       tells the ledger's writer that no earlier row of the request exists (it need not look).
 */
public record UsageRecord(
    Instant at,
    String requestId,
    String apiKeyId,
    String task,
    String provider,
    String model,
    Integer inputTokens,
    Integer cachedInputTokens,
    Integer outputTokens,
    double costUsd,
    long latencyMs,
    String outcome,
    Integer status,
    boolean streamed,
    boolean usageEstimated,
    String requestedModel,
    Long ttftMs,
    int attempt) {

  /** A record whose place in its request is not known. */
  public UsageRecord(Instant at, String requestId, String apiKeyId, String task, String provider, String model,
                     Integer inputTokens, Integer cachedInputTokens, Integer outputTokens, double costUsd, long latencyMs,
                     String outcome, Integer status, boolean streamed, boolean usageEstimated, String requestedModel,
                     Long ttftMs) {
    this(at, requestId, apiKeyId, task, provider, model, inputTokens, cachedInputTokens, outputTokens, costUsd,
        latencyMs, outcome, status, streamed, usageEstimated, requestedModel, ttftMs, 0);
  }

  /** A record without the model asked for. */
  public UsageRecord(Instant at, String requestId, String apiKeyId, String task, String provider, String model,
                     Integer inputTokens, Integer cachedInputTokens, Integer outputTokens, double costUsd, long latencyMs,
                     String outcome, Integer status, boolean streamed, boolean usageEstimated) {
    this(at, requestId, apiKeyId, task, provider, model, inputTokens, cachedInputTokens, outputTokens, costUsd,
        latencyMs, outcome, status, streamed, usageEstimated, null, null);
  }

  /** A record of reported usage only (nothing estimated). */
  public UsageRecord(Instant at, String requestId, String apiKeyId, String task, String provider, String model,
                     Integer inputTokens, Integer cachedInputTokens, Integer outputTokens, double costUsd, long latencyMs,
                     String outcome, Integer status, boolean streamed) {
    this(at, requestId, apiKeyId, task, provider, model, inputTokens, cachedInputTokens, outputTokens, costUsd,
        latencyMs, outcome, status, streamed, false);
  }
}
