package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.csv.ImportIssue;
import dev.salesagent.agent.lead.Lead;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A run shared by several workers ({@code run --run-id NAME} on several processes over one database): one import,
 * then leads leased one at a time so that each lead's steps are executed by one worker at a time, and a killed
 * worker's leads are taken over once its leases expire. Lease times are the database's clock, so the workers' clocks
 * do not matter. Blocking: call it off the event loop.
 */
public interface SharedRuns {
  /**
   * Creates {@code run} (status {@code running}) with its import issues and leads in one transaction, so another
   * worker sees either no run or the whole import. Returns false when a run with this id exists already (another
   * worker created it first; on PostgreSQL this call waited for that worker's import to commit).
   */
  boolean importRun(RunInfo run, List<ImportIssue> issues, String owner, List<Lead> leads, List<RunStore.RunLead> runLeads);

  /** Leases the first lead (input order) that is not done and not leased by a live lease; empty when none is. */
  Optional<String> claim(String runId, String worker, Duration lease);

  /** Extends {@code worker}'s lease of the lead; false when it no longer holds it (it expired and was taken over). */
  boolean holds(String runId, String leadId, String worker, Duration lease);

  /** Extends every lease {@code worker} holds in the run; returns how many. */
  int renew(String runId, String worker, Duration lease);

  /** The lead's steps are finished: done, lease gone. No-op when {@code worker} no longer holds it. */
  void complete(String runId, String leadId, String worker);

  /** Gives the lead back unfinished (stopping), for another worker to take at once. */
  void release(String runId, String leadId, String worker);

  /** How many leads of the run are not done yet. */
  int remaining(String runId);

  /** {@code --resume}: every lead is walked again (finished steps are read back, not called). */
  void reopen(String runId);

  /** Sets {@code running} again a run that was {@code interrupted}; a completed run stays completed. */
  void rejoin(String runId);

  /**
   * Marks the run {@code completed} once: the first worker to finish sets the time, later ones keep it, so every
   * worker's report says the same. Returns the run as stored.
   */
  RunInfo completed(String runId, Instant now);

  /** Marks the run {@code interrupted} unless another worker completed it. Returns the run as stored. */
  RunInfo interrupted(String runId, Instant now);
}
