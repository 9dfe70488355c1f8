package dev.salesagent.router.strategy;

/**
 * Orders candidate targets. Filtering (health, circuits, capabilities, context, budget) is common and done by the
 * {@link Planner}; a strategy only says which targets are candidates and how they rank (lower score first; equal
 * scores keep candidate order).
 */
public interface Strategy {

  String name();

  /** The candidates for this request, in their natural order. Must not be modified by the caller. */
  TargetRef[] candidates(PlanInput in);

  /** Rank of a candidate (lower is better). {@code position} is its index in {@link #candidates}. */
  double score(TargetRef t, int position, PlanInput in, StateView state);
}
