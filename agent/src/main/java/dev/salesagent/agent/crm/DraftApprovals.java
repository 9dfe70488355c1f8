package dev.salesagent.agent.crm;

/**
 * Whether a lead's outreach draft of a run is approved for the CRM. Only approved drafts are pushed: a draft nobody
 * reviewed must not look final to a rep reading the contact. The review queue decides; until a run's drafts carry an
 * approval, {@link #NONE} (no draft is pushed). The demo says it approves every draft ({@link #ALL}).
 */
@FunctionalInterface
public interface DraftApprovals {
  DraftApprovals NONE = (runId, leadId) -> false;
  DraftApprovals ALL = (runId, leadId) -> true;

  boolean approved(String runId, String leadId);
}
