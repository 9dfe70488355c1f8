package dev.salesagent.router.strategy;

import dev.salesagent.router.provider.Capability;
import java.util.Set;

/**
 * What planning needs of a request, resolved once (task chosen, tokens estimated).
 *
 * @param task                the task the request runs as
 * @param strategy            {@code task|cost|latency}
 * @param pinned              targets the caller pinned (provider and/or model), {@code null} = route freely
 * @param requiredCapabilities capabilities every target must have
 * @param estimatedInputTokens prompt tokens (estimate)
 * @param expectedOutputTokens max_tokens or the task's typical output
 * @param minContextTokens     context the target must offer ({@code input + output} unless the caller says more)
 * @param maxCostUsd          per-request cap, {@code null} = none
 * @param streaming           planning by time to first token instead of total latency
 */
public record PlanInput(
    String task,
    String strategy,
    TargetRef[] pinned,
    Set<Capability> requiredCapabilities,
    int estimatedInputTokens,
    int expectedOutputTokens,
    int minContextTokens,
    Double maxCostUsd,
    String apiKeyId,
    boolean streaming) {}
