package dev.salesagent.router.routing;

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
 * @param inputTokens tokens the providers reported (unreported counts as 0 here); rows charged on an estimate are
 *                    not in the token totals but in the {@code estimated*} ones
 * @param costUsd   everything charged, estimates included ({@code estimatedCostUsd} is the estimated part)
 * @param estimatedAttempts rows whose usage is (partly) the router's estimate: cut or cancelled attempts the provider
 *                    accepted without reporting usage
 */
public record UsageTotals(
    Map<String, String> group,
    long requests,
    long attempts,
    long failedAttempts,
    long inputTokens,
    long cachedInputTokens,
    long outputTokens,
    BigDecimal costUsd,
    long estimatedAttempts,
    long estimatedInputTokens,
    long estimatedOutputTokens,
    BigDecimal estimatedCostUsd) {}
