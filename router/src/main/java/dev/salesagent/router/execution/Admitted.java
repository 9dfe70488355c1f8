package dev.salesagent.router.execution;

import dev.salesagent.router.execution.LiveState.ProviderRuntime;
import dev.salesagent.router.execution.LiveState.TargetRuntime;
import dev.salesagent.router.strategy.TargetRef;

/**
 * What one attempt holds once it may call its target: the target's circuit-breaker permit, the provider's admission
 * slot and a budget reservation of {@code estimateUsd}. The attempt gives all three back when it settles.
 *
 * @param inputTokens the prompt estimate behind the reservation (a continuation's prefill included): what an attempt
 *                    that ends without reported usage is charged for its input
 */
record Admitted(
    TargetRef target,
    TargetRuntime runtime,
    ProviderRuntime provider,
    int retryNo,
    String reservationId,
    double estimateUsd,
    int inputTokens) {}
