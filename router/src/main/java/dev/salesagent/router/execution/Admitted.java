package dev.salesagent.router.execution;

import dev.salesagent.router.execution.LiveState.ProviderRuntime;
import dev.salesagent.router.execution.LiveState.TargetRuntime;
import dev.salesagent.router.strategy.TargetRef;

/**
 * What one attempt holds once it may call its target: the target's circuit-breaker permit, the provider's admission
 * slot and a budget reservation of {@code estimateUsd}. The attempt gives all three back when it settles.
 */
record Admitted(
    TargetRef target,
    TargetRuntime runtime,
    ProviderRuntime provider,
    int retryNo,
    String reservationId,
    double estimateUsd) {}
