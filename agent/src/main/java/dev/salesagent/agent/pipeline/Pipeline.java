package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.outreach.OutreachUseCase;
import dev.salesagent.agent.parse.ParseUseCase;
import dev.salesagent.agent.pipeline.ResumableSteps.StepFailed;
import dev.salesagent.agent.pipeline.ResumableSteps.Stopped;
import dev.salesagent.agent.qualify.QualifyUseCase;
import dev.salesagent.agent.research.ResearchUseCase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import dev.salesagent.agent.lead.Lead;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the steps of a run over its leads: qualify every lead, research and draft outreach for hot and warm ones; with
 * the {@code parse} step, first parse a contact card from the notes of leads whose notes carry contact details (a
 * signature block or a reply), through the router's {@code parsing} task. Which steps a lead gets is
 * {@link LeadChain}'s; how a step resumes and is recorded is {@link ResumableSteps}' and {@link StepRecorder}'s (the
 * same records the HTTP API writes); this class schedules the leads.
 *
 * <p>Concurrency: {@code concurrency} workers spread over one event-loop context per core, each working one lead at a
 * time and one call at a time, so at most {@code concurrency} router calls are in flight; nothing blocks the event
 * loop (JDBC runs in {@code executeBlocking}, unordered).
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
  private final LeadChain chain;
  private final LeadRepository leads;
  private final RunStore store;
  private final StepRecorder recorder;
  private final Listener listener;
  private final RunCounters counters = new RunCounters();

  public Pipeline(Vertx vertx, QualifyUseCase qualify, ResearchUseCase research, OutreachUseCase outreach,
      LeadRepository leads, RunStore store, Listener listener, Clock clock) {
    this(vertx, qualify, research, outreach, null, leads, store, listener, clock);
  }

  /** As above; {@code parse} runs the {@code parse} step (without it that step is recorded as skipped). */
  public Pipeline(Vertx vertx, QualifyUseCase qualify, ResearchUseCase research, OutreachUseCase outreach,
      ParseUseCase parse, LeadRepository leads, RunStore store, Listener listener, Clock clock) {
    this.vertx = vertx;
    this.chain = new LeadChain(qualify, research, outreach, parse);
    this.leads = leads;
    this.store = store;
    this.recorder = new StepRecorder(vertx, store, clock);
    this.listener = listener == null ? p -> {} : listener;
  }

  /** A span per lead step from now on ({@link dev.salesagent.router.trace.Tracing#OFF}: none). */
  public Pipeline traceWith(dev.salesagent.router.trace.Tracing t) {
    recorder.traceWith(t);
    return this;
  }

  /** Stops issuing new calls; the run's future completes once the calls in flight are recorded. */
  public void stop() {
    counters.stop();
  }

  public boolean stopping() {
    return counters.stopping();
  }

  /**
   * This process's part of a run shared by several workers: leads are leased one at a time through {@code runs} as
   * {@code worker}, each lease renewed every third of {@code lease} while the lead is worked on and checked before each
   * call; a lead's ledger rows are flushed through {@code ledger} before it is marked done, so once every lead is
   * done every worker reads the same ledger. {@code poll} is how often a worker with nothing to claim looks again.
   */
  public record SharedRun(SharedRuns runs, String worker, Duration lease, Duration poll, RunLedger ledger) {}

  /** Runs (or resumes) {@code run} with {@code concurrency} calls in flight at most. */
  public Future<Summary> run(RunInfo run, Set<Step> steps, int concurrency) {
    return run(run, steps, concurrency, null);
  }

  /**
   * As above; with {@code shared}, this process works on the run together with the other workers of the run: it
   * takes leads as long as some are left unleased, waits while other workers hold the last ones (taking over those
   * whose lease expires), and completes when every lead of the run is done (or when it is stopped).
   */
  public Future<Summary> run(RunInfo run, Set<Step> steps, int concurrency, SharedRun shared) {
    if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
    Promise<Summary> done = Promise.promise();
    Context ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> vertx.executeBlocking(() -> new Object[] {store.runLeads(run.id()), store.steps(run.id())}, false)
        .compose(loaded -> {
          @SuppressWarnings("unchecked") List<RunStore.RunLead> ids = (List<RunStore.RunLead>) loaded[0];
          @SuppressWarnings("unchecked") Map<String, StepRecord> existing = new ConcurrentHashMap<>((Map<String, StepRecord>) loaded[1]);
          LeaseKeeper leases = shared == null ? null : new LeaseKeeper(vertx, shared, run.id());
          ResumableSteps s = new ResumableSteps(vertx, store, recorder, counters, run, steps, existing,
              leases == null ? null : leases::holds);
          AtomicInteger next = new AtomicInteger();
          int workers = Math.min(concurrency, Math.max(1, ids.size()));
          // Spread the workers over one context per core (each a different event loop), so the router's and the
          // HTTP client's work is not all on one thread.
          int loops = Math.max(1, Math.min(workers, Runtime.getRuntime().availableProcessors()));
          Context[] contexts = new Context[loops];
          contexts[0] = ctx;
          for (int i = 1; i < loops; i++) contexts[i] = newContext();
          @SuppressWarnings("unchecked") Future<Void>[] all = new Future[workers];
          for (int i = 0; i < workers; i++) {
            Promise<Void> w = Promise.promise();
            contexts[i % loops].runOnContext(x -> (leases == null ? worker(s, ids, next) : sharedWorker(s, leases, ids.size()))
                .onComplete(w));
            all[i] = w.future();
          }
          Future<?> joined = Future.join(List.of(all));
          if (leases != null) joined = joined.eventually(leases::stop);
          return joined.map(x -> new Summary(ids.size(), counters.executed.get(),
              counters.reused.get(), counters.failed.get(), counters.stopping()));
        }).onComplete(done));
    return done.future();
  }

  private Future<Void> worker(ResumableSteps s, List<RunStore.RunLead> ids, AtomicInteger next) {
    if (counters.stopping()) return Future.succeededFuture();
    int i = next.getAndIncrement();
    if (i >= ids.size()) return Future.succeededFuture();
    String leadId = ids.get(i).leadId();
    return vertx.executeBlocking(() -> leads.find(leadId).orElseThrow(() -> new IllegalStateException("lead " + leadId + " is missing")), false)
        .compose(lead -> chain.process(s, lead))
        .recover(t -> {
          if (!(t instanceof StepFailed) && !(t instanceof Stopped)) log.warn("lead {}: {}", leadId, t.toString());
          return Future.succeededFuture();
        })
        .compose(v -> {
          if (!counters.stopping()) counters.leadsDone.incrementAndGet();
          progress(ids.size());
          return worker(s, ids, next);
        });
  }

  /**
   * One worker slot of a shared run: claim a lead, read its step records fresh (another worker may have finished some),
   * walk its chain, then mark it done — or give it back when the chain did not finish (stopping, lease lost, a fault).
   * With nothing to claim: finished when no lead is left undone, else look again after the poll interval.
   */
  private Future<Void> sharedWorker(ResumableSteps s, LeaseKeeper leases, int total) {
    if (counters.stopping()) return Future.succeededFuture();
    return leases.claim().compose(claimed -> {
      if (claimed.isEmpty()) {
        return leases.remaining().compose(left -> left == 0 ? Future.<Void>succeededFuture()
            : leases.pause().compose(v -> sharedWorker(s, leases, total)));
      }
      String leadId = claimed.get();
      return vertx.executeBlocking(() -> {
            Lead lead = leads.find(leadId).orElseThrow(() -> new IllegalStateException("lead " + leadId + " is missing"));
            s.reload(leadId, store.leadSteps(s.run.id(), leadId));
            return lead;
          }, false)
          .compose(lead -> chain.process(s, lead))
          .transform(ar -> {
            boolean finished = ar.succeeded() || ar.cause() instanceof StepFailed;
            if (ar.failed() && ar.cause() instanceof ResumableSteps.LeaseLost) log.warn("{}", ar.cause().getMessage());
            else if (!finished && !(ar.cause() instanceof Stopped)) log.warn("lead {}: {}", leadId, ar.cause().toString());
            if (finished) counters.leadsDone.incrementAndGet();
            return finished ? leases.complete(leadId) : leases.release(leadId);
          })
          .recover(t -> {
            log.warn("lead {}: its lease could not be updated: {}", leadId, t.toString());
            return Future.succeededFuture();
          })
          .compose(v -> {
            progress(total);
            return sharedWorker(s, leases, total);
          });
    });
  }

  private synchronized void progress(int total) {
    try {
      listener.onProgress(new Progress(counters.leadsDone.get(), total, counters.executed.get(), counters.failed.get(),
          counters.cost(), counters.stopping()));
    } catch (RuntimeException e) {
      log.debug("progress listener failed", e);
    }
  }

  /** A new event-loop context: created from a non-Vert.x thread, Vert.x assigns event loops round robin. */
  private Context newContext() {
    CompletableFuture<Context> f = new CompletableFuture<>();
    Thread t = new Thread(() -> f.complete(vertx.getOrCreateContext()));
    t.start();
    return f.join();
  }
}
