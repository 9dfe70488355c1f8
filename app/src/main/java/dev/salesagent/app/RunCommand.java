package dev.salesagent.app;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.csv.ImportIssue;
import dev.salesagent.agent.csv.ImportResult;
import dev.salesagent.agent.pipeline.Pipeline;
import dev.salesagent.agent.pipeline.RunInfo;
import dev.salesagent.agent.pipeline.RunReport;
import dev.salesagent.agent.pipeline.RunService;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.router.config.ConfigException;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.budget.BudgetLimits;
import dev.salesagent.store.Database;
import dev.salesagent.store.budget.JdbcBudgetCounters;
import dev.salesagent.router.keys.ApiKey;
import dev.salesagent.store.keys.JdbcApiKeyStore;
import dev.salesagent.store.lead.JdbiLeadRepository;
import dev.salesagent.store.lead.JdbiRunLedger;
import dev.salesagent.store.lead.JdbiRunStore;
import dev.salesagent.store.lead.JdbiSharedRuns;
import dev.salesagent.store.ledger.JdbcUsageLedger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run LEADS.csv [--out DIR] [--concurrency N] [--steps qualify,research,outreach] [--resume] [--key-id ID]
 * [--run-id NAME [--lease-seconds N]] [--from hubspot] [--to hubspot]}: the lead
 * pipeline. The database is {@code SALES_AGENT_DB_URL} or the default H2 file under {@code ./data}; a run is found
 * again by its {@code --out} directory, so {@code --resume --out DIR} continues the latest run that wrote there.
 * Ctrl-C stops issuing calls, lets the calls in flight finish (up to 30 s), writes the outputs of what is done and
 * flushes the usage ledger. Exit 0 done, 2 usage error, 3 some step failed upstream, 4 budget exceeded, 130 stopped.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Qualify leads from a CSV, research and draft outreach for hot and warm ones; write results.csv and report.md.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "LEADS.csv", description = "HubSpot-style CSV of leads (not needed with --resume)")
  Path leads;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "output directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8", description = "router calls in flight at most (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--steps", defaultValue = "qualify,research,outreach", description = "steps to run, comma-separated, from qualify, research, outreach and parse (contact cards from notes) (default: ${DEFAULT-VALUE})")
  String steps;

  @Option(names = "--resume", description = "continue the latest run that wrote to --out: finished steps are not repeated")
  boolean resume;

  @Option(names = "--config", paramLabel = "FILE", description = "router configuration (default: SALES_AGENT_CONFIG)")
  Path config;

  @Option(names = "--icp", paramLabel = "FILE", description = "ICP, scoring rubric and sender (default: SALES_AGENT_ICP or the bundled scoring.yaml)")
  Path icp;

  @Option(names = "--key-id", paramLabel = "ID", description = "charge the run's router calls to this API key (its budget "
      + "applies and the ledger rows carry it); the run and its leads belong to the key's tenant. Default: no key "
      + "(the global budgets only; the run belongs to the admins). --resume needs the same --key-id as the start")
  String keyId;

  @Option(names = "--from", paramLabel = "SOURCE", description = "hubspot: pull the leads from HubSpot (HUBSPOT_TOKEN) into "
      + "DIR/hubspot-contacts.csv instead of reading LEADS.csv")
  String from;

  @Option(names = "--to", paramLabel = "TARGET", description = "hubspot: push the run's results to HubSpot when it ends (see `crm push`)")
  String to;

  @Option(names = "--lifecycle-stage", paramLabel = "S", description = "with --from hubspot: only contacts in this lifecycle stage")
  String lifecycleStage;

  @Option(names = "--created-after", paramLabel = "DATE", converter = CrmCommand.IsoDate.class,
      description = "with --from hubspot: only contacts created on or after this day (YYYY-MM-DD)")
  java.time.LocalDate createdAfter;

  @Option(names = "--run-id", paramLabel = "NAME", description = "a run shared by several workers: every `run "
      + "LEADS.csv --run-id NAME` on the same database (PostgreSQL) works on the same run — the first imports, each lead's "
      + "steps run once across all of them, each writes the whole run's results when it is complete. With --resume: "
      + "continue that run")
  String runId;

  @Option(names = "--lease-seconds", paramLabel = "N", defaultValue = "60", description = "with --run-id: a lead held by "
      + "a worker that stopped renewing its lease (it was killed) goes to another worker after this long (default: ${DEFAULT-VALUE})")
  int leaseSeconds;

  @Override
  public Integer call() {
    PrintStream err = RouterBoot.utf8Err();
    boolean fromHubspot = "hubspot".equalsIgnoreCase(from);
    boolean toHubspot = "hubspot".equalsIgnoreCase(to);
    if ((from != null && !fromHubspot && !"csv".equalsIgnoreCase(from)) || (to != null && !toHubspot)) {
      err.println("run: --from takes csv or hubspot, --to takes hubspot");
      return Main.EXIT_USAGE;
    }
    if (fromHubspot && leads != null) {
      err.println("run: give either LEADS.csv or --from hubspot, not both");
      return Main.EXIT_USAGE;
    }
    java.util.Optional<dev.salesagent.crm.hubspot.HubSpotClient.Settings> hubspot = java.util.Optional.empty();
    if (fromHubspot || toHubspot) {
      hubspot = CrmSync.settings("run", err);
      if (hubspot.isEmpty()) return Main.EXIT_USAGE;
    }
    Set<Step> stepSet;
    RouterConfig rc;
    ScoringConfig scoring;
    try {
      stepSet = Step.parseList(steps);
      if (!resume && leads == null && !fromHubspot) throw new IllegalArgumentException("give the leads CSV file (or --resume, or --from hubspot)");
      rc = RouterBoot.loadConfig(config);
      scoring = ScoringConfig.resolve(icp, RouterBoot.env());
    } catch (IllegalArgumentException e) {
      err.println("run: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    List<String> missing = ProviderPreflight.problems(rc, stepSet);
    if (!missing.isEmpty()) {
      for (String m : missing) err.println("run: " + m);
      err.println("run: nothing was imported or called; set the variables (or --steps fewer steps) and run again");
      return Main.EXIT_USAGE;
    }
    String url = durable(RouterBoot.env().get("SALES_AGENT_DB_URL"));
    if (fromHubspot && !resume) {
      leads = out.resolve("hubspot-contacts.csv");
      int pulled = CrmSync.pull(hubspot.get(), new dev.salesagent.agent.crm.ContactQuery(lifecycleStage, createdAfter, 0), leads,
          "run", RouterBoot.utf8Out(), err);
      if (pulled != Main.EXIT_OK) return pulled;
    }
    RunService.Options opts;
    try {
      opts = new RunService.Options(leads, out, concurrency, stepSet, resume, null, runId,
          java.time.Duration.ofSeconds(leaseSeconds));
    } catch (IllegalArgumentException e) {
      err.println("run: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    Database db;
    try {
      db = Database.open(url);
    } catch (RuntimeException e) {
      Throwable c = e;
      while (c.getCause() != null && c.getCause() != c) c = c.getCause();
      err.println("run: cannot open the database (SALES_AGENT_DB_URL or ./data; is `serve` holding the H2 file?): "
          + dev.salesagent.router.error.LlmException.safeMessage(c.getMessage()));
      return Main.EXIT_USAGE;
    }
    try (db) {
      ApiKey key = null;
      if (keyId != null) {
        key = new JdbcApiKeyStore(db).find(keyId.trim()).orElse(null);
        String why = key == null ? "no API key with id " + keyId.trim() + " in this database (see `keys list`)"
            : key.revoked() ? "API key " + key.id() + " has been revoked" : null;
        if (why != null) {
          err.println("run: " + why);
          return Main.EXIT_USAGE;
        }
        opts = new RunService.Options(opts.input(), opts.outDir(), opts.concurrency(), opts.steps(), opts.resume(),
            new Actor(key.id(), key.admin()), opts.runId(), opts.lease());
      }
      int code = execute(db, rc, scoring, opts, key, RouterBoot.utf8Out(), err);
      if (!toHubspot || code == 130) return code;
      // Only drafts approved in the review queue are pushed: a fresh run's drafts are pending, so a later `crm push`
      // (after `drafts approve`) carries them.
      int pushed = CrmSync.push(db, null, out, CrmSync.reviewedDrafts(db), hubspot.get(), "run",
          RouterBoot.utf8Out(), err);
      return code != Main.EXIT_OK ? code : pushed;
    }
  }

  /**
   * The database URL for a run: {@code SALES_AGENT_DB_URL}, else the default H2 file under {@code ./data}. An H2 file
   * URL gets {@code WRITE_DELAY=0}: H2 otherwise keeps the last ~0.5 s of commits in memory, and a crash (SIGKILL)
   * would lose step records — the pipeline would then pay for those steps again on {@code --resume}.
   */
  static String durable(String url) {
    String u = url == null || url.isBlank() ? Database.defaultUrl(Path.of("data")) : url.trim();
    if (u.startsWith("jdbc:h2:file:") && !u.toUpperCase(Locale.ROOT).contains("WRITE_DELAY")) u = u + ";WRITE_DELAY=0";
    return u;
  }

  /**
   * The pipeline on {@code db} with a router built from {@code rc}: shared by {@code run} and {@code demo}. Budgets are
   * the database's durable counters, as the gateway's: the global limits of {@code rc} count what every process
   * sharing the database spent, and {@code keyOrNull}'s budget (the run's {@code --key-id}) is checked before each call.
   */
  static int execute(Database db, RouterConfig rc, ScoringConfig scoring, RunService.Options opts, ApiKey keyOrNull,
      PrintStream out, PrintStream err) {
    return execute(db, rc, scoring, opts, keyOrNull, out, err, opts.shared()
        ? "run again with --run-id " + opts.runId() + " (with or without other workers) to finish"
        : "run again with --resume --out " + opts.outDir() + " to finish");
  }

  /** As above; {@code resumeHint} tells how to finish a run that was stopped (the demo cannot resume). */
  static int execute(Database db, RouterConfig rc, ScoringConfig scoring, RunService.Options opts, ApiKey keyOrNull,
      PrintStream out, PrintStream err, String resumeHint) {
    JdbcUsageLedger ledger = new JdbcUsageLedger(db);
    BudgetLimits keyLimits = keyOrNull == null || keyOrNull.budgetUsd() == null ? BudgetLimits.NONE
        : new BudgetLimits(null, keyOrNull.budgetUsd());
    JdbcBudgetCounters[] budgets = new JdbcBudgetCounters[1];
    RouterBoot boot;
    try {
      boot = RouterBoot.start(rc, new SimpleMeterRegistry(), ledger, vertx -> budgets[0] = new JdbcBudgetCounters(vertx, db,
          rc.budgets().limits(), id -> keyOrNull != null && id.equals(keyOrNull.id()) ? keyLimits : BudgetLimits.NONE));
    } catch (ConfigException e) {
      if (budgets[0] != null) budgets[0].close();
      ledger.close();
      err.println("run: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    CountDownLatch finished = new CountDownLatch(1);
    Pipeline[] pipeline = new Pipeline[1];
    Thread hook = new Thread(() -> {
      Pipeline p = pipeline[0];
      if (p == null || finished.getCount() == 0) return;
      err.println();
      err.println("stopping: no new calls; waiting for the calls in flight (up to 30 s) ...");
      p.stop();
      try {
        if (!finished.await(30, TimeUnit.SECONDS)) {
          err.println("calls still in flight were not recorded; --resume will repeat them");
        }
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
      ledger.flush();
    }, "sales-agent-run-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Progress progress = new Progress(err, System.console() != null);
      RunService svc = new RunService(boot.vertx(), boot.runtime().router(), scoring, new JdbiLeadRepository(db),
          new JdbiRunStore(db), new JdbiRunLedger(ledger), Clock.systemUTC(), new JdbiSharedRuns(db));
      RunService.Outcome o = svc.execute(opts, progress, new RunService.Hooks() {
        @Override public void imported(ImportResult r) {
          err.printf(Locale.ROOT, "imported %d leads from %d rows (%d rejected, %d duplicates merged)%n",
              r.leads().size(), r.rowsRead(), r.errors(), r.merged());
          int shown = 0;
          for (ImportIssue i : r.issues()) {
            if (i.severity().equals(ImportIssue.MERGED)) continue;
            if (shown++ == 20) {
              err.println("  … more in report.md");
              break;
            }
            err.println("  " + i);
          }
        }

        @Override public void started(RunInfo run, Pipeline p) {
          p.traceWith(boot.tracing()); // a span per lead step (docs/OPERATIONS.md "Tracing")
          pipeline[0] = p;
          err.println((opts.resume() ? "resuming " : "starting ") + run.id() + " · steps " + Step.join(opts.steps())
              + " · concurrency " + opts.concurrency());
        }
      });
      progress.done();
      if (ledger.dropped() > 0) {
        err.println("warning: the usage ledger dropped " + ledger.dropped() + " records (write queue full): report.md undercounts cost");
      }
      out.print(RunReport.summary(o.report()));
      out.println("results: " + o.resultsCsv());
      out.println("report:  " + o.reportMd());
      boolean budget = o.report().stepFailures().stream().anyMatch(s -> s.contains("budget_exceeded"));
      if (o.interrupted()) {
        out.println((budget ? "stopped: the budget is exhausted; " : "stopped before the end: ") + resumeHint);
        return budget ? Main.EXIT_BUDGET : 130;
      }
      if (budget) return Main.EXIT_BUDGET;
      return o.report().stepFailures().isEmpty() ? Main.EXIT_OK : Main.EXIT_UPSTREAM;
    } catch (IllegalArgumentException e) {
      err.println("run: " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (java.io.IOException e) {
      err.println("run: " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it flushes the ledger
      }
      boot.close();
      budgets[0].close();
      ledger.close();
    }
  }

  /** A bar on a terminal, plain lines (every 10 % or 5 s) otherwise; on stderr so stdout stays the summary. */
  static final class Progress implements Pipeline.Listener {
    private final PrintStream err;
    private final boolean tty;
    private long lastPrint;
    private int lastDecile = -1;
    private boolean printed;

    Progress(PrintStream err, boolean tty) {
      this.err = err;
      this.tty = tty;
    }

    @Override
    public synchronized void onProgress(Pipeline.Progress p) {
      long now = System.nanoTime();
      int total = Math.max(1, p.leadsTotal());
      if (tty) {
        if (now - lastPrint < 100_000_000L && p.leadsDone() < total) return;
        lastPrint = now;
        int width = 30;
        int filled = (int) ((long) width * p.leadsDone() / total);
        err.printf(Locale.ROOT, "\r[%s%s] %d/%d leads · %d calls · %d failed · $%.4f%s", "#".repeat(filled),
            ".".repeat(width - filled), p.leadsDone(), total, p.callsMade(), p.stepsFailed(), p.costUsd(),
            p.stopping() ? " · stopping" : "");
        printed = true;
      } else {
        int decile = p.leadsDone() * 10 / total;
        if (decile == lastDecile && now - lastPrint < 5_000_000_000L) return;
        lastDecile = decile;
        lastPrint = now;
        err.printf(Locale.ROOT, "progress: %d/%d leads, %d calls, %d failed, $%.4f%n", p.leadsDone(), total,
            p.callsMade(), p.stepsFailed(), p.costUsd());
      }
    }

    synchronized void done() {
      if (tty && printed) err.println();
    }
  }
}
