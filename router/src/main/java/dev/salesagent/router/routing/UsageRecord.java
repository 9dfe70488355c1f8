package dev.salesagent.router.routing;

import java.time.Instant;

/**
 * One attempt as the ledger stores it. Tokens are what the provider reported ({@code null} when it did not);
 * {@code costUsd} is computed from them at the target's list prices.
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
    boolean streamed) {}
