package dev.salesagent.router.strategy;

/** What planning may know of live state. Implementations answer from fields, without locks or allocation. */
public interface StateView {

  /** Why the target cannot be used right now (unconfigured, down, circuit open), or {@code null} when it can. */
  String unusableReason(TargetRef target, long nowNanos);

  /** Latency EWMA in ms of the target (time to first token when {@code streaming}), or {@code NaN} if unknown. */
  double latencyMs(TargetRef target, boolean streaming);

  /** What the budgets still allow for this key (global included), {@code +Infinity} when unlimited. */
  double remainingBudgetUsd(String apiKeyIdOrNull);

  StateView ALL_USABLE = new StateView() {
    @Override public String unusableReason(TargetRef t, long now) { return null; }
    @Override public double latencyMs(TargetRef t, boolean streaming) { return Double.NaN; }
    @Override public double remainingBudgetUsd(String k) { return Double.POSITIVE_INFINITY; }
  };
}
