package dev.salesagent.agent.reply;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.send.SuppressionList;
import dev.salesagent.agent.send.SuppressionReason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Triages replies and acts on them: {@code unsubscribe} puts the sender's address on the suppression list
 * (unsubscribed), {@code bounce} the failed recipient (bounced; from the DSN's Final-Recipient, else the recipient of the
 * send it answers; only when a free rule saw a delivery report — a model's "bounce" on a person's mail suppresses nobody), {@code interested} queues the lead for the CRM push with the next action. Each reply is stored once
 * (by its Message-ID, else a hash of its bytes); a reply seen before is skipped, so re-reading a mailbox costs nothing.
 * Blocking: run it off the event loop.
 */
public final class ReplyProcessor {
  public static final String INTERESTED_NEXT_ACTION = "Answer today and book the call they asked for";
  private final TriageUseCase triage;
  private final ReplyLog log;
  private final SuppressionList suppression;
  private final CrmPushQueue crm;
  private final Clock clock;

  public ReplyProcessor(TriageUseCase triage, ReplyLog log, SuppressionList suppression, CrmPushQueue crm, Clock clock) {
    this.triage = triage;
    this.log = log;
    this.suppression = suppression;
    this.crm = crm;
    this.clock = clock;
  }

  /** What happened to one reply. {@code triage} is {@code null} when it had been triaged before. */
  public record Outcome(String source, String replyId, String leadId, Triage triage, List<String> actions, String error) {}

  public Outcome process(String source, byte[] raw, InboundReply reply, Actor actor) throws InterruptedException {
    String id = replyId(reply, raw);
    if (log.seen(id)) return new Outcome(source, id, null, null, List.of("seen before"), null);
    String leadId = log.leadForSend(reply.references())
        .orElseGet(() -> reply.from() == null ? null : log.leadsForEmail(reply.from()).stream().findFirst().orElse(null));
    Triage t;
    try {
      t = triage.triage(reply, "reply:" + id, actor).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return new Outcome(source, id, leadId, null, List.of(), String.valueOf(e.getCause().getMessage()));
    } catch (TimeoutException e) {
      return new Outcome(source, id, leadId, null, List.of(), "no triage answer within 120 s");
    }
    List<String> actions = new ArrayList<>();
    switch (t.category()) {
      case UNSUBSCRIBE -> {
        if (reply.from() != null) {
          suppression.suppressAddress(reply.from(), SuppressionReason.UNSUBSCRIBED, "reply " + id);
          actions.add("suppressed sender (unsubscribed)");
        }
      }
      case BOUNCE -> {
        if (!t.decidedBy().equals("rules")) {
          // a model's "bounce" on a message no rule saw as a delivery report: a person wrote it; suppress nobody
          actions.add("not suppressed: no delivery report");
          break;
        }
        String failed = reply.dsn() != null && reply.dsn().finalRecipient() != null ? reply.dsn().finalRecipient()
            : log.recipientOfSend(reply.references()).orElse(null);
        if (failed != null && failed.contains("@")) {
          suppression.suppressAddress(failed, SuppressionReason.BOUNCED, "reply " + id);
          actions.add("suppressed failed recipient (bounced)");
          if (leadId == null) leadId = log.leadsForEmail(failed.toLowerCase(java.util.Locale.ROOT)).stream().findFirst().orElse(null);
        }
      }
      case INTERESTED -> {
        if (leadId != null) {
          crm.queue(leadId, INTERESTED_NEXT_ACTION, t.evidence());
          actions.add("next action set, queued for CRM push");
        }
      }
      default -> { }
    }
    log.save(new ReplyLog.Stored(id, leadId, reply.references().isEmpty() ? null : reply.references().get(0), t, clock.instant()));
    return new Outcome(source, id, leadId, t, actions, null);
  }

  static String replyId(InboundReply r, byte[] raw) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] h = r.messageId() != null ? sha.digest(r.messageId().getBytes(StandardCharsets.UTF_8)) : sha.digest(raw);
      return "rp-" + HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
