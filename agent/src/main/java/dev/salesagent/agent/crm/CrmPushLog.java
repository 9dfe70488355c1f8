package dev.salesagent.agent.crm;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What earlier pushes of a run wrote to the CRM, per contact email: the contact's and the note's ids, when and how it
 * ended. A push reads it first so a second push of the same run updates the note it wrote instead of adding another
 * (CRM notes are not upserts), and records every outcome after. Blocking (a database behind it).
 */
public interface CrmPushLog {

  /** One contact's latest push of a run. {@code noteId} stays the last note written even when a later push failed it. */
  record Entry(String runId, String email, String contactId, String noteId, Instant pushedAt, PushOutcome.Status outcome,
               String error) {}

  /** The run's entries by lower-cased email. */
  Map<String, Entry> forRun(String runId);

  /** Records a push's outcomes (one row per run and email; a note id known before is kept when none came back). */
  void record(String runId, List<PushOutcome> outcomes, Instant pushedAt);
}
