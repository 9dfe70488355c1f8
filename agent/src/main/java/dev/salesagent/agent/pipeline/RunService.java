package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.csv.ImportResult;
import dev.salesagent.agent.csv.LeadCsvImporter;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.outreach.OutreachUseCase;
import dev.salesagent.agent.parse.ParseUseCase;
import dev.salesagent.agent.qualify.QualifyUseCase;
import dev.salesagent.agent.qualify.ScoringConfig;
import dev.salesagent.agent.research.ResearchUseCase;
import dev.salesagent.agent.schema.StructuredCaller;
import dev.salesagent.router.routing.LlmRouter;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A whole {@code run}: import the CSV (or find the run to resume), run the pipeline, flush the ledger, write
 * {@code results.csv} and {@code report.md}. Blocking: meant for the CLI thread, not the event loop.
 *
 * <p>Runs are found again by output directory: {@code --resume} continues the latest run whose {@code --out} is the
 * same directory (normalised absolute path) in the same database.
 */
public final class RunService {
  /**
   * @param actor who runs it (the key charged, the tenant owning the run and its leads); {@code null} = the operator
   *              without a key. A resume must name the same actor as the run's start: its leads live in that tenant
   */
  /**
   * @param runId a run shared by several workers ({@code --run-id}): its name, {@code null} for a run of this process
   *              alone (named {@code run-<time>-<hex>})
   * @param lease how long a shared run's lead stays with a worker that stopped renewing it ({@code --lease-seconds})
   */
  public record Options(Path input, Path outDir, int concurrency, Set<Step> steps, boolean resume, Actor actor,
      String runId, Duration lease) {
    public Options {
      if (concurrency < 1 || concurrency > 1024) throw new IllegalArgumentException("--concurrency must be 1..1024, got " + concurrency);
      outDir = outDir.toAbsolutePath().normalize();
      steps = Set.copyOf(steps);
      if (runId != null && !RUN_ID.matcher(runId).matches()) {
        throw new IllegalArgumentException("--run-id must be 1 to 64 characters from A-Z a-z 0-9 . _ -, got \"" + runId + "\"");
      }
      lease = lease == null ? DEFAULT_LEASE : lease;
      if (lease.toSeconds() < 1 || lease.toSeconds() > 86_400) {
        throw new IllegalArgumentException("--lease-seconds must be 1..86400, got " + lease.toSeconds());
      }
    }

    public Options(Path input, Path outDir, int concurrency, Set<Step> steps, boolean resume, Actor actor) {
      this(input, outDir, concurrency, steps, resume, actor, null, null);
    }

    public Options(Path input, Path outDir, int concurrency, Set<Step> steps, boolean resume) {
      this(input, outDir, concurrency, steps, resume, null);
    }

    public boolean shared() {
      return runId != null;
    }
  }

  /** {@code --lease-seconds}' default. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public record Outcome(RunInfo run, RunReport.Data report, Path resultsCsv, Path reportMd, boolean interrupted,
      ImportResult imported, Pipeline.Summary summary) {}

  /** Called once the pipeline exists, so a shutdown hook can stop it. */
  public interface Hooks {
    default void started(RunInfo run, Pipeline pipeline) {}

    default void imported(ImportResult r) {}
  }

  private final Vertx vertx;
  private final LlmRouter router;
  private final ScoringConfig scoring;
  private final LeadRepository leads;
  private final RunStore store;
  private final RunLedger ledger;
  private final Clock clock;
  private final SharedRuns shared;
  /** This process's name in a shared run's leases. */
  private final String worker = "w-" + ProcessHandle.current().pid() + "-" + String.format("%08x", ThreadLocalRandom.current().nextInt());

  public RunService(Vertx vertx, LlmRouter router, ScoringConfig scoring, LeadRepository leads, RunStore store,
      RunLedger ledger, Clock clock) {
    this(vertx, router, scoring, leads, store, ledger, clock, null);
  }

  /** @param shared runs shared by several workers ({@code --run-id}); {@code null} when the store has none (memory) */
  public RunService(Vertx vertx, LlmRouter router, ScoringConfig scoring, LeadRepository leads, RunStore store,
      RunLedger ledger, Clock clock, SharedRuns shared) {
    this.shared = shared;
    this.vertx = vertx;
    this.router = router;
    this.scoring = scoring;
    this.leads = leads;
    this.store = store;
    this.ledger = ledger;
    this.clock = clock == null ? Clock.systemUTC() : clock;
  }

  /** Imports or resumes; returns the run to execute. Throws {@link IllegalArgumentException} for usage errors. */
  public RunInfo begin(Options o, Hooks hooks) throws IOException {
    String out = o.outDir().toString();
    if (o.shared()) return beginShared(o, hooks);
    if (o.resume()) {
      RunInfo prev = store.latestRunFor(out).orElseThrow(() -> new IllegalArgumentException(
          "nothing to resume: no earlier run wrote to " + out + " in this database (run without --resume first)"));
      if (prev.status().equals("importing")) {
        throw new IllegalArgumentException("the run " + prev.id() + " in " + out + " stopped while importing its leads: "
            + "nothing was called yet; start it again without --resume");
      }
      if (!actorOf(o).equals(prev.actor())) {
        throw new IllegalArgumentException("the run " + prev.id() + " in " + out + " was started "
            + (prev.actor().keyId() == null ? "without a key" : "with key " + prev.actor().keyId())
            + ": resume it the same way (its leads belong to that key's tenant)");
      }
      // the steps and concurrency given now apply to the rest of the run
      RunInfo r = new RunInfo(prev.id(), prev.outDir(), prev.inputPath(), Step.join(o.steps()), o.concurrency(), "running",
          prev.inputColumns(), prev.startedAt(), null, prev.actor());
      store.updateRun(r);
      return r;
    }
    if (o.input() == null) throw new IllegalArgumentException("a leads CSV file is required");
    if (!Files.isRegularFile(o.input())) throw new IllegalArgumentException("no such file: " + o.input());
    ImportResult imp = new LeadCsvImporter().read(o.input());
    hooks.imported(imp);
    String id = "run-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant())
        + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(1 << 16));
    Actor actor = actorOf(o);
    RunInfo run = new RunInfo(id, out, o.input().toAbsolutePath().normalize().toString(), Step.join(o.steps()),
        o.concurrency(), "importing", imp.header(), clock.instant(), null, actor);
    store.createRun(run);
    store.addIssues(id, imp.issues());
    for (int from = 0; from < imp.leads().size(); from += 500) {
      List<Lead> imported = imp.leads().subList(from, Math.min(imp.leads().size(), from + 500));
      List<Lead> chunk = imported.stream().map(actor::claim).toList();
      leads.upsert(actor.owner(), chunk);
      List<RunStore.RunLead> rl = new ArrayList<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        rl.add(new RunStore.RunLead(chunk.get(i).id(), from + i, imp.rawById().get(imported.get(i).id())));
      }
      store.addRunLeads(id, rl);
    }
    // only a fully imported run can be resumed
    RunInfo running = run.withStatus("running", null);
    store.updateRun(running);
    return running;
  }

  /**
   * A shared run: {@code --resume} continues it by name; otherwise the first worker imports it (in one transaction)
   * and a worker that finds it — created before, or by a worker whose import committed while this one waited — joins
   * it. Every worker must give the run's steps and key.
   */
  private RunInfo beginShared(Options o, Hooks hooks) throws IOException {
    if (shared == null) throw new IllegalArgumentException("--run-id needs a database store");
    Optional<RunInfo> found = store.findRun(o.runId());
    if (o.resume()) {
      RunInfo prev = found.orElseThrow(() -> new IllegalArgumentException(
          "nothing to resume: no run named " + o.runId() + " in this database (run without --resume first)"));
      checkJoin(prev, o, false);
      shared.reopen(prev.id());
      RunInfo r = new RunInfo(prev.id(), prev.outDir(), prev.inputPath(), Step.join(o.steps()), prev.concurrency(), "running",
          prev.inputColumns(), prev.startedAt(), null, prev.actor());
      store.updateRun(r);
      return r;
    }
    if (found.isEmpty()) {
      if (o.input() == null) throw new IllegalArgumentException("a leads CSV file is required");
      if (!Files.isRegularFile(o.input())) throw new IllegalArgumentException("no such file: " + o.input());
      ImportResult imp = new LeadCsvImporter().read(o.input());
      Actor actor = actorOf(o);
      RunInfo run = new RunInfo(o.runId(), o.outDir().toString(), o.input().toAbsolutePath().normalize().toString(),
          Step.join(o.steps()), o.concurrency(), "running", imp.header(), clock.instant(), null, actor);
      List<Lead> chunk = imp.leads().stream().map(actor::claim).toList();
      List<RunStore.RunLead> rl = new ArrayList<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        rl.add(new RunStore.RunLead(chunk.get(i).id(), i, imp.rawById().get(imp.leads().get(i).id())));
      }
      if (shared.importRun(run, imp.issues(), actor.owner(), chunk, rl)) {
        hooks.imported(imp);
        return run;
      }
      found = store.findRun(o.runId());
    }
    RunInfo run = found.orElseThrow(() -> new IllegalStateException("the run " + o.runId() + " vanished while joining it"));
    checkJoin(run, o, true);
    shared.rejoin(run.id());
    return store.findRun(run.id()).orElse(run);
  }

  /** A worker joins a shared run on its terms: the same key (tenant); when not resuming, the same steps. */
  private static void checkJoin(RunInfo run, Options o, boolean sameSteps) {
    if (run.status().equals("importing")) {
      throw new IllegalArgumentException("the run " + run.id() + " stopped while importing its leads (a run started "
          + "without --run-id): give a new --run-id");
    }
    if (!actorOf(o).equals(run.actor())) {
      throw new IllegalArgumentException("the run " + run.id() + " was started "
          + (run.actor().keyId() == null ? "without a key" : "with key " + run.actor().keyId())
          + ": every worker must name the same --key-id (its leads belong to that key's tenant)");
    }
    if (sameSteps && !Step.join(o.steps()).equals(run.steps())) {
      throw new IllegalArgumentException("the run " + run.id() + " runs the steps " + run.steps() + ", this worker asked for "
          + Step.join(o.steps()) + ": give every worker the same --steps (or --resume to change them)");
    }
  }

  private static Actor actorOf(Options o) {
    return o.actor() == null ? Actor.operator() : o.actor();
  }

  public Pipeline pipeline(Pipeline.Listener listener) {
    StructuredCaller caller = new StructuredCaller(router);
    return new Pipeline(vertx, new QualifyUseCase(caller, scoring), new ResearchUseCase(caller, scoring),
        new OutreachUseCase(caller, scoring), new ParseUseCase(caller), leads, store, listener, clock);
  }

  /** Everything: begin, run, finish. {@code --resume} uses the steps and concurrency given now. */
  public Outcome execute(Options o, Pipeline.Listener listener, Hooks hooks) throws IOException, InterruptedException {
    RunInfo run = begin(o, hooks);
    Pipeline p = pipeline(listener);
    hooks.started(run, p);
    Pipeline.Summary summary;
    try {
      Pipeline.SharedRun sr = o.shared()
          ? new Pipeline.SharedRun(shared, worker, o.lease(), pollInterval(o.lease()), ledger) : null;
      summary = p.run(run, o.steps(), o.concurrency(), sr).toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the pipeline failed: " + e.getCause(), e.getCause());
    }
    boolean interrupted = summary.stopped() || p.stopping();
    return o.shared() ? finishShared(run, o.outDir(), interrupted, summary) : finish(run, interrupted, summary);
  }

  /** How often a worker with nothing to claim looks again: a tenth of the lease, 200 ms to 2 s. */
  static Duration pollInterval(Duration lease) {
    return Duration.ofMillis(Math.max(200, Math.min(2_000, lease.toMillis() / 10)));
  }

  /**
   * The end of this worker's part of a shared run. Complete: the run is marked completed once (by the first worker
   * to get here) and every worker writes the same outputs, from the run as stored, into its own {@code outDir}.
   */
  public Outcome finishShared(RunInfo run, Path outDir, boolean interrupted, Pipeline.Summary summary) throws IOException {
    ledger.flush();
    RunInfo stored = interrupted ? shared.interrupted(run.id(), clock.instant()) : shared.completed(run.id(), clock.instant());
    return write(stored, outDir, interrupted, summary);
  }

  /** Flushes the ledger, writes the outputs, records the run's status. */
  public Outcome finish(RunInfo run, boolean interrupted, Pipeline.Summary summary) throws IOException {
    ledger.flush();
    RunInfo fin = run.withStatus(interrupted ? "interrupted" : "completed", clock.instant());
    store.updateRun(fin);
    return write(fin, Path.of(run.outDir()), interrupted, summary);
  }

  private Outcome write(RunInfo fin, Path outDir, boolean interrupted, Pipeline.Summary summary) throws IOException {
    RunInfo run = fin;
    List<RunStore.RunLead> rls = store.runLeads(run.id());
    Map<String, Lead> byId = new HashMap<>();
    for (int from = 0; from < rls.size(); from += 500) {
      List<String> ids = rls.subList(from, Math.min(rls.size(), from + 500)).stream().map(RunStore.RunLead::leadId).toList();
      for (Lead l : leads.findAll(ids)) byId.put(l.id(), l);
    }
    Map<String, StepRecord> steps = store.steps(run.id());
    Files.createDirectories(outDir);
    Path csv = outDir.resolve("results.csv");
    Path md = outDir.resolve("report.md");
    Path tmp = outDir.resolve(".results.csv.tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      ResultsExport.write(w, run.inputColumns(), rls, byId, steps);
    }
    Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    RunReport.Data data = RunReport.compute(fin, rls, byId, steps, store.issues(run.id()), ledger.forRun(run.id()));
    Path tmpMd = outDir.resolve(".report.md.tmp");
    Files.writeString(tmpMd, RunReport.markdown(data), StandardCharsets.UTF_8);
    Files.move(tmpMd, md, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Outcome(fin, data, csv, md, interrupted, null, summary);
  }
}
