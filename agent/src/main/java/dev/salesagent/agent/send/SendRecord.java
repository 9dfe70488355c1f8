package dev.salesagent.agent.send;

import java.time.Instant;
import java.util.Objects;

/**
 * One send as stored ({@code email_sends}, migration V8). The Message-ID is the idempotency key: it is derived from the
 * run, the lead and the draft ({@link MessageIds}), so the same approved draft always maps to the same row.
 */
public record SendRecord(String messageId, String runId, String leadId, String mailbox, String recipient,
    String subject, SendStatus status, Instant recordedAt, Instant finishedAt, String error) {
  public SendRecord {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(leadId, "leadId");
    Objects.requireNonNull(mailbox, "mailbox");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(recordedAt, "recordedAt");
    if (error != null && error.length() > 2000) error = error.substring(0, 2000);
  }
}
