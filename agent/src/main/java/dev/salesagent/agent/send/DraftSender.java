package dev.salesagent.agent.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends approved drafts, at most once each. Per draft, in this order: choose a mailbox under its daily cap and wait
 * for its pace; check the suppression list (right before sending, so an unsubscribe that arrived during the wait
 * counts); <b>record</b> the send under its Message-ID (durable); hand it to SMTP; <b>mark</b> it sent or failed.
 *
 * <p>A crash between record and mark leaves a {@code recorded} row. The next {@code send} turns it into
 * {@code uncertain} and never sends that draft again on its own: we cannot know whether the SMTP server accepted it,
 * and a duplicate cold email is worse than a missing one (an operator can look for its Message-ID in the mailbox's
 * Sent folder or the server's log). Dry run (the default): the same checks, nothing recorded, nothing sent, no waits.
 *
 * <p>Blocking (JDBC and a wait per pace): run it on a worker or the CLI's main thread, never on an event loop.
 */
public final class DraftSender {
  private static final Duration SMTP_TIMEOUT = Duration.ofMinutes(2);
  private final MailSettings settings;
  private final ApprovedDrafts drafts;
  private final SendLog log;
  private final SuppressionList suppression;
  private final Mailer mailer;
  private final Clock clock;
  private final Pause pause;
  private final SendHooks hooks;

  /** Waits between sends (a real sleep in production; tests record the waits asked for). */
  @FunctionalInterface
  public interface Pause {
    void sleep(Duration d) throws InterruptedException;
  }

  public DraftSender(MailSettings settings, ApprovedDrafts drafts, SendLog log, SuppressionList suppression,
      Mailer mailer, Clock clock, Pause pause, SendHooks hooks) {
    this.settings = settings;
    this.drafts = drafts;
    this.log = log;
    this.suppression = suppression;
    this.mailer = mailer;
    this.clock = clock;
    this.pause = pause;
    this.hooks = hooks;
  }

  /** The result of one {@code send}: each draft's outcome, and the sends a crash left uncertain. */
  public record Report(List<SendOutcome> outcomes, List<SendRecord> becameUncertain, boolean dryRun) {
    public Map<SendOutcome.Kind, Integer> counts() {
      Map<SendOutcome.Kind, Integer> m = new LinkedHashMap<>();
      for (SendOutcome.Kind k : SendOutcome.Kind.values()) m.put(k, 0);
      for (SendOutcome o : outcomes) m.merge(o.kind(), 1, Integer::sum);
      return m;
    }
  }

  public Report send(String runIdOrNull, int limit, boolean really) throws InterruptedException {
    if (settings.mailboxes().isEmpty()) throw new IllegalArgumentException("no sending mailbox: set " + MailSettings.FROM);
    List<SendRecord> uncertain = new ArrayList<>();
    if (really) {
      for (SendRecord r : log.unfinished()) {
        log.mark(r.messageId(), SendStatus.UNCERTAIN, clock.instant(), "the process stopped between record and mark");
        uncertain.add(r);
      }
    }
    List<SendOutcome> out = new ArrayList<>();
    Map<String, Integer> plannedToday = new HashMap<>();
    Map<String, Instant> plannedLast = new HashMap<>();
    for (ApprovedDraft d : drafts.pending(runIdOrNull, limit)) {
      Instant now = clock.instant();
      List<Pacing.State> states = new ArrayList<>();
      for (MailSettings.Mailbox mb : settings.mailboxes()) {
        String a = mb.address();
        int today = log.countSince(a, Pacing.startOfDay(now)) + plannedToday.getOrDefault(a, 0);
        Instant last = plannedLast.containsKey(a) ? plannedLast.get(a) : log.lastRecordedAt(a).orElse(null);
        states.add(new Pacing.State(a, today, last));
      }
      Pacing.Choice choice = Pacing.choose(states, settings.dailyCap(), settings.pace(), now);
      if (choice.mailbox() == null) {
        out.add(new SendOutcome(SendOutcome.Kind.CAPPED, d, null, null,
            "every mailbox sent its daily cap of " + settings.dailyCap() + " today (UTC)"));
        continue;
      }
      if (really && !choice.delay().isZero()) pause.sleep(choice.delay());
      MailSettings.Mailbox mailbox = mailbox(choice.mailbox());
      OutboundEmail email = compose(d, mailbox);
      var blocked = suppression.check(d.email());
      if (blocked.isPresent()) {
        out.add(new SendOutcome(SendOutcome.Kind.SUPPRESSED, d, mailbox.address(), email.messageId(), blocked.get().describe()));
        continue;
      }
      if (!really) {
        if (log.find(email.messageId()).isPresent()) {
          out.add(new SendOutcome(SendOutcome.Kind.ALREADY_RECORDED, d, mailbox.address(), email.messageId(), null));
          continue;
        }
        plannedToday.merge(mailbox.address(), 1, Integer::sum);
        plannedLast.put(mailbox.address(), now.plus(choice.delay()));
        out.add(new SendOutcome(SendOutcome.Kind.WOULD_SEND, d, mailbox.address(), email.messageId(),
            choice.delay().isZero() ? null : "after a pace of " + choice.delay().toSeconds() + " s"));
        continue;
      }
      out.add(sendOnce(d, mailbox, email));
    }
    return new Report(out, uncertain, !really);
  }

  private SendOutcome sendOnce(ApprovedDraft d, MailSettings.Mailbox mailbox, OutboundEmail email) throws InterruptedException {
    String id = email.messageId();
    boolean fresh = log.record(new SendRecord(id, d.runId(), d.leadId(), mailbox.address(), d.email(),
        d.draft().subject(), SendStatus.RECORDED, clock.instant(), null, null));
    if (!fresh) return new SendOutcome(SendOutcome.Kind.ALREADY_RECORDED, d, mailbox.address(), id, null);
    hooks.recorded(id);
    try {
      mailer.send(email).toCompletionStage().toCompletableFuture().get(SMTP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof MailNotSentException notSent) {
        log.mark(id, SendStatus.FAILED, clock.instant(), notSent.getMessage());
        return new SendOutcome(SendOutcome.Kind.FAILED, d, mailbox.address(), id, notSent.getMessage());
      }
      String why = "the SMTP exchange broke off: " + cause;
      log.mark(id, SendStatus.UNCERTAIN, clock.instant(), why);
      return new SendOutcome(SendOutcome.Kind.UNCERTAIN, d, mailbox.address(), id, why);
    } catch (TimeoutException e) {
      String why = "no SMTP answer within " + SMTP_TIMEOUT.toSeconds() + " s";
      log.mark(id, SendStatus.UNCERTAIN, clock.instant(), why);
      return new SendOutcome(SendOutcome.Kind.UNCERTAIN, d, mailbox.address(), id, why);
    }
    hooks.accepted(id);
    log.mark(id, SendStatus.SENT, clock.instant(), null);
    return new SendOutcome(SendOutcome.Kind.SENT, d, mailbox.address(), id, null);
  }

  private MailSettings.Mailbox mailbox(String address) {
    for (MailSettings.Mailbox mb : settings.mailboxes()) if (mb.address().equals(address)) return mb;
    throw new IllegalStateException(address);
  }

  /**
   * The email of a draft: the draft's full text (body, call to action, the configured unsubscribe line), the
   * Message-ID, and RFC 8058's two headers — {@code List-Unsubscribe} with the HTTPS one-click URL and a mailto to the
   * sending mailbox, {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click}. Without a configured URL only the
   * mailto is given and the Post header is left out (RFC 8058 requires an HTTPS URI for one-click); a real send
   * refuses to start without it ({@link MailSettings#missingForSending()}).
   */
  public OutboundEmail compose(ApprovedDraft d, MailSettings.Mailbox mailbox) {
    String messageId = MessageIds.of(d, mailbox.address());
    String token = MessageIds.token(d);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Message-ID", messageId);
    String mailto = "<mailto:" + mailbox.address() + "?subject=unsubscribe>";
    String url = settings.unsubscribeUrlFor(token);
    if (url != null) {
      headers.put("List-Unsubscribe", "<" + url + ">, " + mailto);
      headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    } else {
      headers.put("List-Unsubscribe", mailto);
    }
    return new OutboundEmail(mailbox.header(), d.email(), d.draft().subject(), d.draft().fullText(), headers);
  }
}
