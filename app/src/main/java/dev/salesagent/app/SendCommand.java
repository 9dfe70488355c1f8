package dev.salesagent.app;

import dev.salesagent.agent.send.DraftSender;
import dev.salesagent.agent.send.MailSettings;
import dev.salesagent.agent.send.ReviewedDrafts;
import dev.salesagent.agent.send.SendHooks;
import dev.salesagent.agent.send.SendOutcome;
import dev.salesagent.agent.send.smtp.VertxSmtpMailer;
import dev.salesagent.store.Database;
import dev.salesagent.store.mail.JdbcSendLog;
import dev.salesagent.store.mail.JdbcSuppressionList;
import dev.salesagent.store.review.JdbiDraftStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sales-agent send [--run ID] [--send] [--limit N]}: approved drafts by SMTP, a dry run unless {@code --send}
 * (docs/SALES-PIPELINE.md "Sending"; settings in docs/CONFIGURATION.md "Sending and replies").
 */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = "Send approved drafts by SMTP (a dry run unless --send): suppression list checked before each "
        + "send, per-mailbox daily caps and pacing, each send recorded once under its Message-ID.")
final class SendCommand implements Callable<Integer> {
  @Option(names = "--run", paramLabel = "ID", description = "only this run's approved drafts (default: every run)")
  String runId;

  @Option(names = "--send", description = "really send (default: a dry run that checks everything and sends nothing)")
  boolean really;

  @Option(names = "--limit", defaultValue = "50", description = "at most N drafts (default ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--db-url", description = "JDBC URL (default: $SALES_AGENT_DB_URL, else ./data/sales-agent)")
  String dbUrl;

  @Override
  public Integer call() throws InterruptedException {
    MailSettings settings;
    try {
      settings = MailSettings.fromEnvironment(RouterBoot.env());
    } catch (IllegalArgumentException e) {
      System.err.println("send: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    var missing = really ? settings.missingForSending() : settings.mailboxes().isEmpty() ? java.util.List.of(MailSettings.FROM) : java.util.List.<String>of();
    if (!missing.isEmpty()) {
      System.err.println("send: set " + String.join(", ", missing) + " (see docs/CONFIGURATION.md \"Sending and replies\")");
      return Main.EXIT_USAGE;
    }
    if (limit < 0) {
      System.err.println("send: --limit must be 0 or more");
      return Main.EXIT_USAGE;
    }
    Vertx vertx = Vertx.vertx();
    try (Database db = KeysCommand.open(dbUrl)) {
      var log = new JdbcSendLog(db);
      var drafts = new ReviewedDrafts(new JdbiDraftStore(db), log);
      try (var mailer = really ? new VertxSmtpMailer(vertx, settings) : null) {
        var sender = new DraftSender(settings, drafts, log, new JdbcSuppressionList(db), mailer, Clock.systemUTC(),
            d -> {
              System.err.println("pacing: waiting " + d.toSeconds() + " s");
              Thread.sleep(d.toMillis());
            }, SendHooks.NONE);
        DraftSender.Report report = sender.send(runId, limit, really);
        for (var r : report.becameUncertain()) {
          System.err.println("uncertain: " + r.messageId() + " to lead " + r.leadId() + " was recorded but never marked (the process "
              + "stopped mid-send); it is not sent again — look for that Message-ID in the mailbox's Sent folder");
        }
        for (SendOutcome o : report.outcomes()) {
          System.out.println(String.format("%-16s %s/%s  %s%s%s", o.kind().wire(), o.draft().runId(), o.draft().leadId(),
              o.draft().email(), o.mailbox() == null ? "" : "  from " + o.mailbox(), o.detail() == null ? "" : "  (" + o.detail() + ")"));
        }
        StringBuilder sum = new StringBuilder(really ? "sent:" : "dry run (nothing sent; add --send):");
        report.counts().forEach((k, v) -> { if (v > 0) sum.append(' ').append(k.wire()).append(' ').append(v); });
        if (report.outcomes().isEmpty()) sum.append(" no approved draft waiting");
        System.err.println(sum);
        boolean bad = report.counts().get(SendOutcome.Kind.FAILED) > 0 || report.counts().get(SendOutcome.Kind.UNCERTAIN) > 0;
        return bad ? Main.EXIT_UPSTREAM : Main.EXIT_OK;
      }
    } finally {
      vertx.close();
    }
  }
}
