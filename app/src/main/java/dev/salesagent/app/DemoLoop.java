package dev.salesagent.app;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.outreach.OutreachGrounding;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.reply.ImapReplies;
import dev.salesagent.agent.review.Draft;
import dev.salesagent.agent.review.DraftReview;
import dev.salesagent.agent.review.DraftStatus;
import dev.salesagent.agent.review.DraftStore;
import dev.salesagent.agent.send.DraftSender;
import dev.salesagent.agent.send.MailSettings;
import dev.salesagent.agent.send.ReviewedDrafts;
import dev.salesagent.agent.send.SendHooks;
import dev.salesagent.agent.send.SendOutcome;
import dev.salesagent.agent.send.smtp.VertxSmtpMailer;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.store.Database;
import dev.salesagent.store.lead.JdbiLeadRepository;
import dev.salesagent.store.mail.JdbcSendLog;
import dev.salesagent.store.mail.JdbcSuppressionList;
import dev.salesagent.store.outcome.JdbcOutcomeQueries;
import dev.salesagent.store.review.JdbiDraftStore;
import io.vertx.core.Vertx;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's second half, after the run: approve the drafts through the review queue (automatically — the demo says
 * so), send them to an in-process SMTP server (GreenMail), triage a few replies written from the sent messages
 * (interested, unsubscribe, out-of-office auto-reply, bounce DSN) through the {@code replies} code path, and print the
 * cost per outcome. Offline: GreenMail listens on loopback only.
 */
final class DemoLoop {
  static final String MAILBOX = "demo@sales-agent.example";
  private DemoLoop() {}

  static void run(Vertx vertx, Database db, RouterConfig rc, ScoringConfig scoring, Path out, PrintStream stdout,
                  PrintStream err) throws Exception {
    stdout.println();
    DraftReview review = new DraftReview(new JdbiDraftStore(db), new JdbiLeadRepository(db), new OutreachGrounding(scoring),
        Clock.systemUTC());
    List<Draft> pending = review.list(Actor.operator(), new DraftStore.DraftQuery(DraftStatus.PENDING, null), null, 500).drafts();
    int approved = 0;
    for (Draft d : pending) {
      try {
        review.approve(Actor.operator(), d.id());
        approved++;
      } catch (RuntimeException e) {
        err.println("demo: draft " + d.id() + " not approved: " + e.getMessage());
      }
    }
    if (!pending.isEmpty()) stdout.println("review: approved " + approved + " of " + pending.size() + " drafts AUTOMATICALLY (demo only — in real use a person "
        + "approves each with `drafts approve` or POST /v1/drafts/{id}/approve; the decisions are recorded the same way)");

    GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    try {
      MailSettings settings = MailSettings.fromEnvironment(Map.of(MailSettings.HOST, "127.0.0.1",
          MailSettings.PORT, Integer.toString(smtp.getSmtp().getPort()), MailSettings.TLS, "none",
          MailSettings.FROM, "Demo Sender <" + MAILBOX + ">", MailSettings.CAP, "1000", MailSettings.PACE, "0",
          MailSettings.UNSUBSCRIBE_URL, "https://sales.example/unsubscribe"));
      JdbcSendLog log = new JdbcSendLog(db);
      DraftSender.Report report;
      try (var mailer = new VertxSmtpMailer(vertx, settings)) {
        report = new DraftSender(settings, new ReviewedDrafts(new JdbiDraftStore(db), log), log, new JdbcSuppressionList(db),
            mailer, Clock.systemUTC(), d -> { }, SendHooks.NONE).send(null, 1000, true);
      }
      StringBuilder sum = new StringBuilder("send: to an in-process SMTP server (GreenMail on 127.0.0.1:" + smtp.getSmtp().getPort() + "):");
      report.counts().forEach((k, v) -> { if (v > 0) sum.append(' ').append(k.wire()).append(' ').append(v); });
      stdout.println(sum);

      MimeMessage[] got = smtp.getReceivedMessages();
      List<ImapReplies.Fetched> replies = writeReplies(got, out.resolve("replies"));
      stdout.println("replies: " + replies.size() + " written to " + out.resolve("replies") + " from the sent messages, triaged:");
      RepliesCommand.triage(db, rc, replies, stdout, err);
      var suppression = new JdbcSuppressionList(db);
      long suppressed = java.util.Arrays.stream(got).map(DemoLoop::to).filter(a -> suppression.check(a).isPresent()).count();
      stdout.println("suppression list: " + suppressed + " of the " + got.length + " recipients (unsubscribe and bounce)");
    } finally {
      smtp.stop();
    }
    stdout.println();
    stdout.println("cost per outcome:");
    stdout.print(new JdbcOutcomeQueries(db).costPerOutcome(null).markdown());
  }

  /** Up to four replies to the first sent messages: interested, unsubscribe, out of office, bounce. */
  static List<ImapReplies.Fetched> writeReplies(MimeMessage[] sent, Path dir) throws Exception {
    Files.createDirectories(dir);
    List<ImapReplies.Fetched> result = new ArrayList<>();
    String[] kinds = {"interested", "unsubscribe", "out-of-office", "bounce"};
    for (int i = 0; i < Math.min(sent.length, kinds.length); i++) {
      MimeMessage m = sent[i];
      String id = m.getMessageID(), to = to(m), subject = m.getSubject();
      String eml = switch (kinds[i]) {
        case "interested" -> reply(to, id, "Re: " + subject, "",
            "Yes, this is relevant for us right now. Could we talk on Tuesday at 10:00? Send me an invite.");
        case "unsubscribe" -> reply(to, id, "Re: " + subject, "", "Please remove me from your list and unsubscribe me.");
        case "out-of-office" -> reply(to, id, "Automatic reply: " + subject, "Auto-Submitted: auto-replied\r\n",
            "I am out of the office until Monday with limited access to email.");
        default -> bounce(to, id, subject);
      };
      Path f = dir.resolve((i + 1) + "-" + kinds[i] + ".eml");
      Files.writeString(f, eml, StandardCharsets.UTF_8);
      result.add(new ImapReplies.Fetched(f.toString(), eml.getBytes(StandardCharsets.UTF_8)));
    }
    return result;
  }

  private static String to(MimeMessage m) {
    try {
      return ((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String reply(String from, String inReplyTo, String subject, String extraHeaders, String text) {
    return "From: " + from + "\r\nTo: " + MAILBOX + "\r\nSubject: " + subject + "\r\nMessage-ID: <reply." + Math.abs(from.hashCode())
        + "@demo.example>\r\nIn-Reply-To: " + inReplyTo + "\r\nReferences: " + inReplyTo + "\r\n" + extraHeaders
        + "Date: Thu, 3 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n";
  }

  private static String bounce(String failed, String originalId, String subject) {
    return "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.demo.example>\r\nTo: " + MAILBOX
        + "\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn." + Math.abs(failed.hashCode()) + "@mx.demo.example>\r\n"
        + "Date: Thu, 3 Dec 2026 10:00:00 +0000\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
        + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour message could not be delivered.\r\n"
        + "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.demo.example\r\n\r\n"
        + "Final-Recipient: rfc822; " + failed + "\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        + "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n\r\n"
        + "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: " + originalId + "\r\nSubject: " + subject + "\r\n\r\n--b1--\r\n";
  }
}
