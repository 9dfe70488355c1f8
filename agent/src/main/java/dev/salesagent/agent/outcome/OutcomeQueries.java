package dev.salesagent.agent.outcome;

/** Reads the spend and the outcome counts of one run, or of every run and reply. Blocking. */
public interface OutcomeQueries {
  /** @param runIdOrNull a run id, or {@code null} for every run (and every triaged reply) */
  CostPerOutcome costPerOutcome(String runIdOrNull);
}
