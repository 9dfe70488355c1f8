package dev.salesagent.agent.reply;

import java.util.Collection;
import java.util.Map;

/**
 * The port to the CRM sync: a lead whose reply asked for a next step is queued with it ({@code crm_push_queue}); the
 * HubSpot sync ({@code crm push}) reads the queue, pushes the next action as a contact property, and removes the entry.
 */
public interface CrmPushQueue {
  void queue(String leadId, String nextAction, String reason);

  /** The queued next actions by lead id: what the next push carries instead of the run's own. */
  Map<String, String> pending();

  /** Removes the entries of leads whose push succeeded; the others stay queued for the next push. */
  void pushed(Collection<String> leadIds);
}
