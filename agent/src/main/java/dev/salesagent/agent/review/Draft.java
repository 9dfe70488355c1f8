package dev.salesagent.agent.review;

import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.qualify.Tier;
import java.time.Instant;

/**
 * A draft in the review queue: the outreach result of a lead in a run, its review state and the text a send would
 * use ({@link #current()}: the person's edit when there is one, else the model's draft).
 *
 * @param ownerKeyId the lead's tenant ({@code null} = the admins)
 * @param tier       the lead's tier in the same run's qualification, {@code null} when there is none
 * @param draftedAt  when the outreach step finished (identifies this version of the draft)
 * @param original   the model's draft as recorded by the step
 * @param edited     the person's edit, {@code null} = none
 * @param review     the latest decision's who, when and reason, {@code null} = none yet
 */
public record Draft(DraftId id, String ownerKeyId, LeadSummary lead, Tier tier, DraftStatus status, Instant draftedAt,
                    String provider, String model, double costUsd, OutreachDraft original, OutreachDraft edited,
                    Review review) {

  /** Who the draft is for, as a reviewer needs to see it. */
  public record LeadSummary(String email, String firstName, String lastName, String company, String jobTitle) {}

  /** The latest decision: {@code byKeyId} {@code null} = the operator. */
  public record Review(String byKeyId, boolean byAdmin, Instant at, String reason) {}

  /** The text that would be sent. */
  public OutreachDraft current() {
    return edited != null ? edited : original;
  }

  public boolean readyToSend() {
    return status == DraftStatus.APPROVED;
  }
}
