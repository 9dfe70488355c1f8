package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.outreach.OutreachDraft;
import dev.salesagent.agent.outreach.OutreachUseCase;
import dev.salesagent.agent.parse.ContactCard;
import dev.salesagent.agent.parse.ParseUseCase;
import dev.salesagent.agent.qualify.Qualification;
import dev.salesagent.agent.qualify.QualifyUseCase;
import dev.salesagent.agent.research.ResearchBrief;
import dev.salesagent.agent.research.ResearchUseCase;
import dev.salesagent.agent.schema.Json;
import dev.salesagent.agent.schema.StructuredOutputException;
import dev.salesagent.agent.schema.StructuredResult;
import dev.salesagent.router.error.LlmException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the steps of a run over its leads: qualify every lead, research and draft outreach for hot and warm ones; with
 * the {@code parse} step, first parse a contact card from the notes of leads whose notes carry contact details (a
 * signature block or a reply), through the router's {@code parsing} task.
 *
 * <p>Concurrency: {@code concurrency} workers on one Vert.x context, each working one lead at a time and one call at
 * a time, so at most {@code concurrency} router calls are in flight; nothing blocks the event loop (JDBC runs in
 * {@code executeBlocking}, unordered).
 *
 * <p>Idempotency: before a call the step is recorded {@code running}; after it, {@code done} or {@code failed} with
 * its result, cost and prompt version — before the lead moves on. A finished step is never repeated: on resume its
 * stored result is read back. A {@code running} step (the process died during its call) is repeated.
 *
 * <p>Budgets: every call is charged to the run's key ({@link RunInfo#actor()}); a call its budget (or the global one)
 * cannot afford is refused before it is made, and the run stops issuing calls.
 *
 * <p>{@link #stop()} stops issuing calls; calls in flight finish and are recorded.
 */
public final class Pipeline {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  /** Receives progress on the pipeline's context; must not block. */
  public interface Listener {
    void onProgress(Progress p);
  }

  public record Progress(int leadsDone, int leadsTotal, int callsMade, int stepsFailed, double costUsd, boolean stopping) {}

  /** What one run of the pipeline did (this process only; the report reads the store and the ledger). */
  public record Summary(int leads, int stepsExecuted, int stepsReused, int stepsFailed, boolean stopped) {}

  private final Vertx vertx;
  private final QualifyUseCase qualify;
  private final ResearchUseCase research;
  private final OutreachUseCase outreach;
  private final ParseUseCase parse;
  private final LeadRepository leads;
  private final RunStore store;
  private final Listener listener;
  private final Clock clock;

  private volatile boolean stopping;
  private final AtomicInteger executed = new AtomicInteger();
  private final AtomicInteger reused = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger leadsDone = new AtomicInteger();
  private volatile double cost;

  public Pipeline(Vertx vertx, QualifyUseCase qualify, ResearchUseCase research, OutreachUseCase outreach,
      LeadRepository leads, RunStore store, Listener listener, Clock clock) {
    this(vertx, qualify, research, outreach, null, leads, store, listener, clock);
  }

  /** As above; {@code parse} runs the {@code parse} step (without it that step is recorded as skipped). */
  public Pipeline(Vertx vertx, QualifyUseCase qualify, ResearchUseCase research, OutreachUseCase outreach,
      ParseUseCase parse, LeadRepository leads, RunStore store, Listener listener, Clock clock) {
    this.vertx = vertx;
    this.qualify = qualify;
    this.research = research;
    this.outreach = outreach;
    this.parse = parse;
    this.leads = leads;
    this.store = store;
    this.listener = listener == null ? p -> {} : listener;
    this.clock = clock == null ? Clock.systemUTC() : clock;
  }

  /** Stops issuing new calls; the run's future completes once the calls in flight are recorded. */
  public void stop() {
    stopping = true;
  }

  public boolean stopping() {
    return stopping;
  }

  /** Runs (or resumes) {@code run} with {@code concurrency} calls in flight at most. */
  public Future<Summary> run(RunInfo run, Set<Step> steps, int concurrency) {
    if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
    Promise<Summary> done = Promise.promise();
    Context ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> blocking(() -> new Object[] {store.runLeads(run.id()), store.steps(run.id())})
        .compose(loaded -> {
          @SuppressWarnings("unchecked") List<RunStore.RunLead> ids = (List<RunStore.RunLead>) loaded[0];
          @SuppressWarnings("unchecked") Map<String, StepRecord> existing = new ConcurrentHashMap<>((Map<String, StepRecord>) loaded[1]);
          State s = new State(run, steps, ids, existing);
          int workers = Math.min(concurrency, Math.max(1, ids.size()));
          // Spread the workers over one context per core (each a different event loop), so the router's and the
          // HTTP client's work is not all on one thread.
          int loops = Math.max(1, Math.min(workers, Runtime.getRuntime().availableProcessors()));
          Context[] contexts = new Context[loops];
          contexts[0] = ctx;
          for (int i = 1; i < loops; i++) contexts[i] = newContext();
          Future<Void>[] all = new Future[workers];
          for (int i = 0; i < workers; i++) {
            Promise<Void> w = Promise.promise();
            contexts[i % loops].runOnContext(x -> worker(s).onComplete(w));
            all[i] = w.future();
          }
          return Future.join(List.of(all)).map(x -> new Summary(ids.size(), executed.get(), reused.get(), failed.get(), stopping));
        }).onComplete(done));
    return done.future();
  }

  private final class State {
    final RunInfo run;
    final Set<Step> steps;
    final List<RunStore.RunLead> ids;
    final Map<String, StepRecord> existing;
    final AtomicInteger next = new AtomicInteger();

    State(RunInfo run, Set<Step> steps, List<RunStore.RunLead> ids, Map<String, StepRecord> existing) {
      this.run = run;
      this.steps = steps;
      this.ids = ids;
      this.existing = existing;
    }
  }

  private Future<Void> worker(State s) {
    if (stopping) return Future.succeededFuture();
    int i = s.next.getAndIncrement();
    if (i >= s.ids.size()) return Future.succeededFuture();
    String leadId = s.ids.get(i).leadId();
    return processLead(s, leadId)
        .recover(t -> {
          if (!(t instanceof StepFailed) && !(t instanceof Stopped)) log.warn("lead {}: {}", leadId, t.toString());
          return Future.succeededFuture();
        })
        .compose(v -> {
          if (!stopping) leadsDone.incrementAndGet();
          progress(s);
          return worker(s);
        });
  }

  private synchronized void progress(State s) {
    try {
      listener.onProgress(new Progress(leadsDone.get(), s.ids.size(), executed.get(), failed.get(), cost, stopping));
    } catch (RuntimeException e) {
      log.debug("progress listener failed", e);
    }
  }

  private Future<Void> processLead(State s, String leadId) {
    return blocking(() -> leads.find(leadId).orElseThrow(() -> new IllegalStateException("lead " + leadId + " is missing")))
        .compose(lead -> parseNotes(s, lead)
            // a failed parse is recorded; the lead's qualification chain still runs
            .recover(t -> t instanceof StepFailed ? Future.succeededFuture() : Future.failedFuture(t))
            .compose(v -> s.steps.contains(Step.QUALIFY) ? qualifyChain(s, lead) : Future.succeededFuture()));
  }

  /** The {@code parse} step: a contact card from the lead's notes when they carry contact details, else skipped. */
  private Future<Void> parseNotes(State s, Lead lead) {
    if (!s.steps.contains(Step.PARSE)) return Future.succeededFuture();
    if (parse == null) return skip(s, lead, "parsing is not configured", Step.PARSE);
    String text = lead.notes();
    if (!ParseUseCase.hasContactDetails(text)) return skip(s, lead, "no contact details in notes", Step.PARSE);
    return step(s, lead, Step.PARSE, ContactCard.class,
        () -> parse.parseContact(text, requestId(s, lead, Step.PARSE), s.run.actor())).mapEmpty();
  }

  private Future<Void> qualifyChain(State s, Lead lead) {
    return step(s, lead, Step.QUALIFY, Qualification.class,
            () -> qualify.qualify(lead, requestId(s, lead, Step.QUALIFY), s.run.actor()))
            .compose(q -> {
              if (!s.steps.contains(Step.RESEARCH)) return Future.succeededFuture();
              if (!q.tier().engaged()) {
                return skip(s, lead, "tier " + q.tier().wire(), Step.RESEARCH, Step.OUTREACH);
              }
              return step(s, lead, Step.RESEARCH, ResearchBrief.class,
                  () -> research.research(lead, q, requestId(s, lead, Step.RESEARCH), s.run.actor()))
                  .recover(t -> t instanceof StepFailed
                      ? skip(s, lead, "research failed", Step.OUTREACH).compose(x -> Future.failedFuture(t))
                      : Future.failedFuture(t))
                  .compose(brief -> {
                    if (!s.steps.contains(Step.OUTREACH)) return Future.succeededFuture();
                    return step(s, lead, Step.OUTREACH, OutreachDraft.class,
                        () -> outreach.draft(lead, brief, requestId(s, lead, Step.OUTREACH), s.run.actor())).mapEmpty();
                  });
            });
  }

  /** A new event-loop context: created from a non-Vert.x thread, Vert.x assigns event loops round robin. */
  private Context newContext() {
    java.util.concurrent.CompletableFuture<Context> f = new java.util.concurrent.CompletableFuture<>();
    Thread t = new Thread(() -> f.complete(vertx.getOrCreateContext()));
    t.start();
    return f.join();
  }

  /** {@code <runId>:<leadId>:<step>}; the structured caller appends {@code :1} / {@code :2}. */
  static String requestId(State s, Lead lead, Step step) {
    return s.run.id() + ":" + lead.id() + ":" + step.wire();
  }

  private Future<Void> skip(State s, Lead lead, String why, Step... steps) {
    return blocking(() -> {
      for (Step st : steps) {
        if (!s.steps.contains(st)) continue;
        StepRecord old = s.existing.get(StepRecord.key(lead.id(), st));
        if (old != null && old.status().finished()) continue;
        StepRecord r = StepRecord.skipped(s.run.id(), lead.id(), st, why, clock.instant());
        store.saveStep(r);
        s.existing.put(r.key(), r);
      }
      return null;
    });
  }

  private <T> Future<T> step(State s, Lead lead, Step step, Class<T> type, Supplier<Future<StructuredResult<T>>> call) {
    String key = StepRecord.key(lead.id(), step);
    StepRecord old = s.existing.get(key);
    if (old != null && old.status() == StepStatus.DONE) {
      reused.incrementAndGet();
      try {
        return Future.succeededFuture(Json.MAPPER.readValue(old.resultJson(), type));
      } catch (Exception e) {
        return Future.failedFuture(new IllegalStateException("stored " + step.wire() + " result of " + lead.id() + " is unreadable", e));
      }
    }
    if (old != null && old.status() == StepStatus.FAILED) {
      reused.incrementAndGet();
      return Future.failedFuture(new StepFailed(old.error()));
    }
    if (stopping) return Future.failedFuture(new Stopped());
    StepRecord running = StepRecord.running(s.run.id(), lead.id(), step, clock.instant());
    return blocking(() -> {
      store.saveStep(running);
      return null;
    }).compose(v -> {
      Future<StructuredResult<T>> f;
      try {
        f = call.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      return f.transform(ar -> {
        executed.incrementAndGet();
        StepRecord rec;
        if (ar.succeeded()) {
          StructuredResult<T> r = ar.result();
          rec = new StepRecord(s.run.id(), lead.id(), step, StepStatus.DONE, Json.write(r.value()), r.promptId(),
              r.provider(), r.model(), r.costUsd(), r.calls(), r.latencyMs(), r.fallbacks(), null, running.startedAt(),
              clock.instant());
        } else {
          failed.incrementAndGet();
          Throwable t = ar.cause();
          String provider = null, model = null;
          double c = 0;
          int calls = 1;
          if (t instanceof StructuredOutputException so) {
            provider = so.provider();
            model = so.model();
            c = so.costUsd();
            calls = so.calls();
          } else if (t instanceof LlmException le) {
            provider = le.provider();
            model = le.model();
            if (le.kind() == dev.salesagent.router.error.ErrorKind.BUDGET_EXCEEDED && !stopping) {
              // every further call would be refused too: stop issuing, keep what is done
              log.warn("budget exceeded: stopping the run ({})", le.getMessage());
              stopping = true;
            }
          }
          rec = new StepRecord(s.run.id(), lead.id(), step, StepStatus.FAILED, null, null, provider, model, c, calls,
              0, 0, describe(t), running.startedAt(), clock.instant());
        }
        synchronized (this) {
          cost += rec.costUsd();
        }
        StepRecord fin = rec;
        return blocking(() -> {
          store.saveStep(fin);
          return null;
        }).compose(x -> {
          s.existing.put(key, fin);
          return ar.succeeded() ? Future.succeededFuture(ar.result().value()) : Future.<T>failedFuture(new StepFailed(fin.error()));
        });
      });
    });
  }

  static String describe(Throwable t) {
    if (t instanceof LlmException le) return le.kind().wire() + ": " + le.getMessage();
    if (t instanceof StructuredOutputException so) return "invalid_output: " + so.getMessage();
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private <T> Future<T> blocking(Callable<T> c) {
    return vertx.executeBlocking(c, false);
  }

  /** A step failed and was recorded; the lead stops there. */
  static final class StepFailed extends RuntimeException {
    StepFailed(String m) {
      super(m, null, false, false);
    }
  }

  /** The pipeline is stopping; the step was not started. */
  static final class Stopped extends RuntimeException {
    Stopped() {
      super("stopping", null, false, false);
    }
  }
}
