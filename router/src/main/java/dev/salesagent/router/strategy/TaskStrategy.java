package dev.salesagent.router.strategy;

import java.util.Map;

/** The task's configured chain, in order. */
public final class TaskStrategy implements Strategy {
  private final Map<String, TargetRef[]> chains;

  public TaskStrategy(Map<String, TargetRef[]> chains) {
    this.chains = Map.copyOf(chains);
  }

  @Override
  public String name() { return "task"; }

  @Override
  public TargetRef[] candidates(PlanInput in) {
    TargetRef[] c = chains.get(in.task());
    return c == null ? new TargetRef[0] : c;
  }

  @Override
  public double score(TargetRef t, int position, PlanInput in, StateView state) {
    return position;
  }
}
