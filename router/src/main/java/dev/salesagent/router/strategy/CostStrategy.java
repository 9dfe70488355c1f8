package dev.salesagent.router.strategy;

/**
 * Cheapest suitable target for the estimated tokens: input tokens from the tokenizer, output from max_tokens or the
 * task's typical output, at each model's list prices. Every configured target is a candidate; ties keep the task's
 * chain order first, then configuration order.
 */
public final class CostStrategy implements Strategy {
  private final TargetRef[] all;

  public CostStrategy(TargetRef[] all) {
    this.all = all.clone();
  }

  @Override
  public String name() { return "cost"; }

  @Override
  public TargetRef[] candidates(PlanInput in) {
    return all;
  }

  @Override
  public double score(TargetRef t, int position, PlanInput in, StateView state) {
    return t.estimateUsd(in.estimatedInputTokens(), in.expectedOutputTokens());
  }
}
