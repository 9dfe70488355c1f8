package dev.salesagent.agent.crm;

import dev.salesagent.agent.lead.Lead;
import java.util.Objects;

/**
 * What a run concluded about one lead, to write back to the CRM: the lead (its cleaned contact data), the
 * qualification (score, tier, why, next action, ICP fit; null when the lead was not qualified), the approved draft
 * (null when there is none or it is not approved) and the research brief as text (null when there is none).
 */
public record PushRecord(Lead lead, String runId, Integer score, String tier, String tierReason, String nextAction,
                         String icpFit, String draftSubject, String draftBody, String brief) {
  public PushRecord {
    Objects.requireNonNull(lead, "lead");
  }

  public String email() {
    return lead.email();
  }

  /** The same record carrying another next action (one queued by a reply triaged as interested). */
  public PushRecord withNextAction(String action) {
    return new PushRecord(lead, runId, score, tier, tierReason, action, icpFit, draftSubject, draftBody, brief);
  }
}
