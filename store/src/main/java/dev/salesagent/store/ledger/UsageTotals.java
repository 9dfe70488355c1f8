package dev.salesagent.store.ledger;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Summed usage for one group.
 *
 * @param group     the grouping values by dimension name ({@code key}, {@code task}, {@code provider}, {@code model},
 *                  {@code day}, {@code outcome}); a {@code null} value means the rows had none (e.g. CLI calls have no key)
 * @param requests  distinct request ids
 * @param attempts  rows (one per attempt)
 * @param failedAttempts rows whose outcome is not {@code ok}
 * @param inputTokens tokens the providers reported (unreported counts as 0 here)
 */
public record UsageTotals(
    Map<String, String> group,
    long requests,
    long attempts,
    long failedAttempts,
    long inputTokens,
    long cachedInputTokens,
    long outputTokens,
    BigDecimal costUsd) {}
