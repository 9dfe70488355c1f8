package dev.salesagent.router.execution;

import dev.salesagent.router.strategy.PlanInput;
import dev.salesagent.router.strategy.RoutePlan;

/** A request once its task is resolved and its plan made; {@code taskReason} says why when the task was not given. */
record PlannedRequest(String task, String taskReason, PlanInput input, RoutePlan plan) {}
