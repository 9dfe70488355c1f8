package dev.salesagent.agent.reply;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where triaged replies are kept ({@code email_replies}) and how a reply finds its lead. Blocking. */
public interface ReplyLog {
  /** The lead of the first of {@code messageIds} that is one of our sends ({@code email_sends}). */
  Optional<String> leadForSend(List<String> messageIds);

  /** The recipient of one of our sends, for a bounce whose report names no recipient. */
  Optional<String> recipientOfSend(List<String> messageIds);

  /** Leads with this address (every tenant). */
  List<String> leadsForEmail(String email);

  boolean seen(String replyId);

  void save(Stored reply);

  /** A triaged reply as stored. */
  record Stored(String id, String leadIdOrNull, String inReplyTo, Triage triage, Instant receivedAt) {}
}
