package dev.salesagent.app;

import dev.salesagent.agent.pipeline.RunService;
import dev.salesagent.agent.pipeline.Step;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import dev.salesagent.emulator.HubSpotEmulator;
import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.outreach.OutreachGrounding;
import dev.salesagent.agent.review.Draft;
import dev.salesagent.agent.review.DraftReview;
import dev.salesagent.agent.review.DraftStatus;
import dev.salesagent.agent.review.DraftStore;
import dev.salesagent.store.lead.JdbiLeadRepository;
import dev.salesagent.store.lead.JdbiRunStore;
import dev.salesagent.store.review.JdbiDraftStore;
import dev.salesagent.crm.hubspot.HubSpotClient;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.store.Database;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo [--leads LEADS.csv] [--out DIR]}: the whole pipeline offline. Starts the provider emulators in-process,
 * points the four predefined providers at them (dummy keys; the user's SALES_AGENT_CONFIG and provider variables are
 * ignored so the demo never calls a real provider), injects light faults (the first Cerebras call is rate-limited with
 * a Retry-After beyond the deadline, so one fallback is visible, and a 2 % random fault rate that the router retries), runs the bundled 50
 * sample leads (or {@code --leads}) through every step — {@code qualify,research,outreach} plus {@code parse}, which reads
 * a contact card from notes that end in a signature or reply footer through the {@code parsing} task (Ollama first) —
 * and writes {@code results.csv} and {@code report.md} to {@code --out} (default {@code ./out}) as {@code run} does. The demo's database is a private in-memory H2: nothing touches
 * {@code ./data}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the whole loop offline: the pipeline against the built-in provider emulators, then approve the "
        + "drafts (automatically, demo only), send them to an in-process SMTP server, triage sample replies (interested, "
        + "unsubscribe, out of office, bounce) and print the cost per outcome.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--leads", paramLabel = "LEADS.csv", description = "your own CSV instead of the 50 bundled sample leads")
  Path leads;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "output directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8", description = "router calls in flight (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--latency-ms", paramLabel = "MS", defaultValue = "150", description = "emulated provider latency (default: ${DEFAULT-VALUE})")
  long latencyMs;

  @Option(names = "--icp", paramLabel = "FILE", description = "ICP, scoring rubric and sender (default: the bundled scoring.yaml)")
  Path icp;

  @Override
  public Integer call() throws Exception {
    PrintStream stdout = RouterBoot.utf8Out();
    PrintStream err = RouterBoot.utf8Err();
    Path input = leads;
    if (input == null) {
      input = Files.createTempFile("sales-agent-demo-leads", ".csv");
      input.toFile().deleteOnExit();
      try (InputStream in = RunService.class.getResourceAsStream("/samples/leads.csv")) {
        Files.copy(in, input, StandardCopyOption.REPLACE_EXISTING);
      }
    } else if (!Files.isRegularFile(input)) {
      err.println("demo: no such file: " + input);
      return Main.EXIT_USAGE;
    }
    ScoringConfig scoring;
    try {
      scoring = ScoringConfig.resolve(icp, Map.of());
    } catch (IllegalArgumentException e) {
      err.println("demo: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    Vertx vertx = Vertx.vertx();
    Emulator emulator = Emulator.start(vertx, EmulatorOptions.defaults().withLatency(latencyMs).withFaultRate(0.02).withSeed(7))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      // The first qualification call to Cerebras is rate-limited with a Retry-After (120 s) beyond the request's
      // deadline: the router gives up on that target at once and falls back to the next target of the qualification
      // chain (DeepSeek) — one visible fallback that does not trip Cerebras' circuit breaker.
      emulator.faults().retryAfterSeconds(120).nextForModel("gpt-oss-120b", Fault.RATE_LIMIT, 1);
      Map<String, String> env = new HashMap<>();
      env.put("ANTHROPIC_API_KEY", "demo-key");
      env.put("CEREBRAS_API_KEY", "demo-key");
      env.put("DEEPSEEK_API_KEY", "demo-key");
      env.put("ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl());
      env.put("CEREBRAS_BASE_URL", emulator.openAiRootUrl());
      env.put("DEEPSEEK_BASE_URL", emulator.openAiBaseUrl());
      env.put("OLLAMA_HOST", emulator.ollamaBaseUrl());
      RouterConfig rc = ConfigLoader.load(null, env);
      stdout.println("Sales Agent demo — providers emulated at http://127.0.0.1:" + emulator.port()
          + " (latency " + latencyMs + " ms, 2% random faults, Cerebras rate-limited once at start)");
      stdout.println("routing by task: qualification → Cerebras, research → DeepSeek, content → Claude, parsing → Ollama");
      stdout.println("leads: " + (leads == null ? "50 bundled sample leads (with junk rows and duplicates)" : input));
      stdout.println("steps: qualify every lead, research and draft outreach for hot and warm ones, and parse a contact card "
          + "from notes that carry a signature or reply footer (steps " + Step.join(EnumSet.allOf(Step.class)) + ")");
      stdout.println();
      try (Database db = Database.open("jdbc:h2:mem:demo-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
        // The demo's database lives in memory: a stopped demo cannot be resumed, only run again.
        String again = "the demo keeps nothing to resume (its database is in memory); " + out.toAbsolutePath().normalize()
            + " holds what was done. Run it again with: bin/sales-agent demo" + (leads == null ? "" : " --leads " + leads)
            + " --out " + out;
        int code = RunCommand.execute(db, rc, scoring,
            new RunService.Options(input, out, concurrency, EnumSet.allOf(Step.class), false), null, stdout, err, again);
        int pushed = code == 130 ? Main.EXIT_OK : pushToHubSpot(emulator, db, scoring, stdout, err);
        // then the rest of the loop: approve (automatically, said on screen), send, replies, cost per outcome
        if (code == Main.EXIT_OK || code == Main.EXIT_UPSTREAM) DemoLoop.run(vertx, db, rc, scoring, out, stdout, err);
        stdout.println();
        stdout.println("emulator requests: " + emulator.stats().toJson().getJsonObject("requests").encode());
        if (pushed != Main.EXIT_OK) return pushed;
        return code == Main.EXIT_UPSTREAM ? Main.EXIT_OK : code;
      }
    } finally {
      emulator.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      vertx.close();
    }
  }

  /**
   * The CRM push, offline: the run's results go to the emulator's HubSpot ({@code /hubspot}) as {@code crm push} sends
   * them to HubSpot. The demo approves every pending draft of its run automatically, through the review queue (each
   * decision recorded as the operator's, as {@code drafts approve} would), and says so; the push then carries the
   * approved drafts, as a real push does. Its HubSpot answers the first batch with a 207 partial failure, so the
   * per-record retry is visible.
   */
  private int pushToHubSpot(Emulator emulator, Database db, ScoringConfig scoring, PrintStream stdout, PrintStream err) {
    int approved = approveEveryDraft(db, scoring);
    emulator.hubspot().next(HubSpotEmulator.HubSpotFault.PARTIAL_FAILURE, 1);
    stdout.println();
    stdout.println("CRM push to the HubSpot emulator at " + emulator.hubspotBaseUrl() + " (the demo approved its " + approved
        + " drafts automatically in the review queue, each decision recorded; the first batch is answered 207 with "
        + "partial failures, retried per record):");
    HubSpotClient.Settings s = new HubSpotClient.Settings(emulator.hubspotBaseUrl(), HubSpotEmulator.DEFAULT_TOKEN, 3, 6, 200, 30_000);
    return CrmSync.push(db, null, out, CrmSync.reviewedDrafts(db), s, "demo", stdout, err);
  }

  /** Approves every pending draft of the demo's run as the operator; returns how many. */
  private int approveEveryDraft(Database db, ScoringConfig scoring) {
    String runId = new JdbiRunStore(db).latestRunFor(out.toAbsolutePath().normalize().toString()).map(r -> r.id()).orElse(null);
    if (runId == null) return 0;
    DraftReview review = new DraftReview(new JdbiDraftStore(db), new JdbiLeadRepository(db), new OutreachGrounding(scoring),
        java.time.Clock.systemUTC());
    int n = 0;
    while (true) {
      // each approval leaves the pending list, so the first page is always the next one
      DraftReview.Page page = review.list(Actor.operator(), new DraftStore.DraftQuery(DraftStatus.PENDING, runId), null, DraftReview.MAX_PAGE);
      if (page.drafts().isEmpty()) return n;
      for (Draft d : page.drafts()) {
        review.approve(Actor.operator(), d.id());
        n++;
      }
    }
  }
}
