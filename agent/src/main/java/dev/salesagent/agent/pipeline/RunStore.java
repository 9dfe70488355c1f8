package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.csv.ImportIssue;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs, the leads of each run, their import issues and step results. Blocking: call it off the event loop. A step
 * result is written before the pipeline moves on, so a crash loses at most the calls in flight.
 */
public interface RunStore {
  void createRun(RunInfo run);

  Optional<RunInfo> findRun(String runId);

  /** The latest run that wrote to {@code outDir}, for {@code --resume}. */
  Optional<RunInfo> latestRunFor(String outDir);

  void updateRun(RunInfo run);

  /** The runs {@code actor} may see (a client key its own, admins all), newest first, at most {@code limit}. */
  List<RunInfo> runs(dev.salesagent.agent.access.Actor actor, int limit);

  /** The run's leads in input order with their raw input cells. */
  void addRunLeads(String runId, List<RunLead> leads);

  List<RunLead> runLeads(String runId);

  void addIssues(String runId, List<ImportIssue> issues);

  List<ImportIssue> issues(String runId);

  /** Inserts or replaces the record of {@code (run, lead, step)}. */
  void saveStep(StepRecord record);

  /** Every step record of a run keyed by {@link StepRecord#key()}. */
  Map<String, StepRecord> steps(String runId);

  /** The step records of one lead of a run, keyed by {@link StepRecord#key()}: read fresh when a worker takes it. */
  default Map<String, StepRecord> leadSteps(String runId, String leadId) {
    Map<String, StepRecord> out = new java.util.LinkedHashMap<>();
    steps(runId).forEach((k, r) -> {
      if (r.leadId().equals(leadId)) out.put(k, r);
    });
    return out;
  }

  /** The latest finished record of a step for a lead over all runs (for the HTTP API). */
  Optional<StepRecord> latestStep(String leadId, Step step);

  /** A lead of a run: its position in the input and its raw cells (input header → value). */
  record RunLead(String leadId, int position, Map<String, String> raw) {}
}
