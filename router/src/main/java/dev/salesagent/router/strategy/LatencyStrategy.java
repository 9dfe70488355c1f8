package dev.salesagent.router.strategy;

/**
 * Fastest suitable target by latency EWMA (time to first token for streams). Targets never measured rank after
 * measured ones, in configuration order, so a cold router behaves like the configuration says and learns from there.
 */
public final class LatencyStrategy implements Strategy {
  private static final double UNKNOWN = 1e12;
  private final TargetRef[] all;

  public LatencyStrategy(TargetRef[] all) {
    this.all = all.clone();
  }

  @Override
  public String name() { return "latency"; }

  @Override
  public TargetRef[] candidates(PlanInput in) {
    return all;
  }

  @Override
  public double score(TargetRef t, int position, PlanInput in, StateView state) {
    double l = state.latencyMs(t, in.streaming());
    return Double.isNaN(l) ? UNKNOWN + position : l;
  }
}
