package dev.salesagent.agent.send;

import dev.salesagent.agent.outreach.OutreachDraft;
import java.util.Objects;

/**
 * A draft a person approved for sending: which run and lead it belongs to, the address it goes to, the draft itself.
 *
 * @param email the lead's address (lower-cased, as stored)
 */
public record ApprovedDraft(String runId, String leadId, String email, OutreachDraft draft) {
  public ApprovedDraft {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(leadId, "leadId");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(draft, "draft");
  }
}
