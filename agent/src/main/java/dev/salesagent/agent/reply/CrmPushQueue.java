package dev.salesagent.agent.reply;

/**
 * The port to the CRM sync: a lead whose reply asked for a next step is queued with it ({@code crm_push_queue}); the
 * HubSpot sync ({@code crm push}) reads the queue, pushes the next action as a contact property, and removes the entry.
 */
public interface CrmPushQueue {
  void queue(String leadId, String nextAction, String reason);
}
