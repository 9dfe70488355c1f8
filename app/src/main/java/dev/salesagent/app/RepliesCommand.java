package dev.salesagent.app;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.qualify.OptOutDetector;
import dev.salesagent.agent.reply.FreeRules;
import dev.salesagent.agent.reply.ImapReplies;
import dev.salesagent.agent.reply.MimeReplies;
import dev.salesagent.agent.reply.ReplyProcessor;
import dev.salesagent.agent.reply.TriageUseCase;
import dev.salesagent.agent.schema.StructuredCaller;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.store.Database;
import dev.salesagent.store.budget.JdbcBudgetCounters;
import dev.salesagent.store.ledger.JdbcUsageLedger;
import dev.salesagent.store.mail.JdbcReplyLog;
import dev.salesagent.store.mail.JdbcSuppressionList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sales-agent replies FILES…} / {@code replies --imap}: triage replies (docs/SALES-PIPELINE.md "Replies").
 * Prints one line per reply: category, how it was decided, the evidence, what was done.
 */
@Command(name = "replies", mixinStandardHelpOptions = true,
    description = "Triage replies from .eml files or an IMAP folder: unsubscribes and bounces go to the suppression "
        + "list, interested leads get their next action and are queued for the CRM push.")
final class RepliesCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILES", arity = "0..*", description = ".eml files (RFC 5322 messages)")
  List<Path> files = new ArrayList<>();

  @Option(names = "--imap", description = "read the unseen messages of the IMAP folder (SALES_AGENT_IMAP_*)")
  boolean imap;

  @Option(names = "--mark-seen", description = "with --imap: mark the messages read as seen (default: read-only)")
  boolean markSeen;

  @Option(names = "--limit", defaultValue = "200", description = "with --imap: at most N messages (default ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--config", description = "router configuration (default: $SALES_AGENT_CONFIG)")
  Path config;

  @Option(names = "--db-url", description = "JDBC URL (default: $SALES_AGENT_DB_URL, else ./data/sales-agent)")
  String dbUrl;

  @Override
  public Integer call() throws Exception {
    PrintStream out = RouterBoot.utf8Out(), err = RouterBoot.utf8Err();
    if (files.isEmpty() == !imap) {
      err.println("replies: give .eml files or --imap (one of the two)");
      return Main.EXIT_USAGE;
    }
    List<ImapReplies.Fetched> input = new ArrayList<>();
    if (imap) {
      ImapReplies reader = new ImapReplies(RouterBoot.env());
      if (!reader.missing().isEmpty()) {
        err.println("replies: set " + String.join(", ", reader.missing()) + " (see docs/CONFIGURATION.md \"Sending and replies\")");
        return Main.EXIT_USAGE;
      }
      input.addAll(reader.fetchUnseen(limit, markSeen));
    } else {
      for (Path f : files) {
        if (!Files.isRegularFile(f)) {
          err.println("replies: no such file " + f);
          return Main.EXIT_USAGE;
        }
        input.add(new ImapReplies.Fetched(f.toString(), Files.readAllBytes(f)));
      }
    }
    RouterConfig rc = RouterBoot.loadConfig(config);
    try (Database db = KeysCommand.open(dbUrl)) {
      return triage(db, rc, input, out, err);
    }
  }

  /** Triages {@code input} and acts on it, one line per message on {@code out}: shared by {@code replies} and {@code demo}. */
  static int triage(Database db, RouterConfig rc, List<ImapReplies.Fetched> input, PrintStream out, PrintStream err)
      throws Exception {
    {
      JdbcUsageLedger ledger = new JdbcUsageLedger(db);
      JdbcBudgetCounters[] budgets = new JdbcBudgetCounters[1];
      try (RouterBoot boot = RouterBoot.start(rc, new SimpleMeterRegistry(), ledger, vertx -> budgets[0] =
          new JdbcBudgetCounters(vertx, db, rc.budgets().limits(), id -> dev.salesagent.router.budget.BudgetLimits.NONE))) {
        var replyLog = new JdbcReplyLog(db);
        var processor = new ReplyProcessor(new TriageUseCase(new FreeRules(OptOutDetector.bundled()),
            new StructuredCaller(boot.runtime().router())), replyLog, new JdbcSuppressionList(db), replyLog, Clock.systemUTC());
        int failed = 0;
        for (ImapReplies.Fetched f : input) {
          ReplyProcessor.Outcome o;
          try {
            o = processor.process(f.source(), f.raw(), MimeReplies.parse(f.raw()), Actor.operator());
          } catch (IllegalArgumentException e) {
            err.println(f.source() + ": " + e.getMessage());
            failed++;
            continue;
          }
          if (o.error() != null) {
            failed++;
            out.println(f.source() + "\terror\t" + o.error());
          } else if (o.triage() == null) {
            out.println(f.source() + "\tseen before");
          } else {
            var t = o.triage();
            out.println(f.source() + "\t" + t.category().wire() + "\t" + (t.rule() != null ? "rule " + t.rule() : t.provider() + "/" + t.model())
                + "\t\"" + t.evidence() + "\"" + (o.leadId() == null ? "" : "\tlead " + o.leadId())
                + (o.actions().isEmpty() ? "" : "\t" + String.join("; ", o.actions())));
          }
        }
        ledger.flush();
        err.println("replies: " + input.size() + " read, " + failed + " failed");
        return failed > 0 ? Main.EXIT_UPSTREAM : Main.EXIT_OK;
      } finally {
        if (budgets[0] != null) budgets[0].close();
        ledger.close();
      }
    }
  }
}
