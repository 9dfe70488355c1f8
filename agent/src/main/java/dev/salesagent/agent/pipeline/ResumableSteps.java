package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.agent.schema.StructuredResult;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one run, resumable: a step finished by an earlier attempt of the run is not repeated (its stored result
 * is read back, its failure stands); otherwise it is recorded {@code running} before its call and then {@code done}
 * or {@code failed} through the {@link StepRecorder}, before the lead moves on. A refused budget stops the run.
 */
final class ResumableSteps {
  private static final Logger log = LoggerFactory.getLogger(ResumableSteps.class);

  private final Vertx vertx;
  private final RunStore store;
  private final StepRecorder recorder;
  private final RunCounters counters;
  final RunInfo run;
  final Set<Step> steps;
  /** The run's step records by {@link StepRecord#key()}, as loaded and as written since. */
  private final Map<String, StepRecord> existing;
  /** A shared run's lease check before each call ({@code null}: the run is this process's alone). Blocking. */
  private final Predicate<String> mayStart;

  ResumableSteps(Vertx vertx, RunStore store, StepRecorder recorder, RunCounters counters, RunInfo run, Set<Step> steps,
                 Map<String, StepRecord> existing) {
    this(vertx, store, recorder, counters, run, steps, existing, null);
  }

  /** @param mayStart for a shared run: does this worker still hold the lead's lease (extending it)? Blocking */
  ResumableSteps(Vertx vertx, RunStore store, StepRecorder recorder, RunCounters counters, RunInfo run, Set<Step> steps,
                 Map<String, StepRecord> existing, Predicate<String> mayStart) {
    this.mayStart = mayStart;
    this.vertx = vertx;
    this.store = store;
    this.recorder = recorder;
    this.counters = counters;
    this.run = run;
    this.steps = steps;
    this.existing = existing;
  }

  /**
   * Replaces what is known of one lead's steps with {@code fresh} (read when a worker takes the lead of a shared run:
   * another worker may have finished some of them since the run was loaded).
   */
  void reload(String leadId, Map<String, StepRecord> fresh) {
    for (Step st : Step.values()) existing.remove(StepRecord.key(leadId, st));
    existing.putAll(fresh);
  }

  boolean wanted(Step step) {
    return steps.contains(step);
  }

  /** {@code <runId>:<leadId>:<step>}; the structured caller appends {@code :1} / {@code :2}. */
  String requestId(Lead lead, Step step) {
    return run.id() + ":" + lead.id() + ":" + step.wire();
  }

  /** Records the wanted ones of {@code skipped} as skipped for {@code why}, unless already finished. */
  Future<Void> skip(Lead lead, String why, Step... skipped) {
    return vertx.executeBlocking(() -> {
      for (Step st : skipped) {
        if (!steps.contains(st)) continue;
        StepRecord old = existing.get(StepRecord.key(lead.id(), st));
        if (old != null && old.status().finished()) continue;
        StepRecord r = StepRecord.skipped(run.id(), lead.id(), st, why, recorder.now());
        store.saveStep(r);
        existing.put(r.key(), r);
      }
      return null;
    }, false);
  }

  /** The step's value: reused, or called and recorded. A recorded failure fails with {@link StepFailed}. */
  <T> Future<T> step(Lead lead, Step step, Class<T> type, Supplier<Future<StructuredResult<T>>> call) {
    String key = StepRecord.key(lead.id(), step);
    StepRecord old = existing.get(key);
    if (old != null && old.status() == StepStatus.DONE) {
      counters.reused.incrementAndGet();
      try {
        return Future.succeededFuture(AgentJson.MAPPER.readValue(old.resultJson(), type));
      } catch (Exception e) {
        return Future.failedFuture(new IllegalStateException("stored " + step.wire() + " result of " + lead.id() + " is unreadable", e));
      }
    }
    if (old != null && old.status() == StepStatus.FAILED) {
      counters.reused.incrementAndGet();
      return Future.failedFuture(new StepFailed(old.error()));
    }
    if (counters.stopping()) return Future.failedFuture(new Stopped());
    StepRecord running = StepRecord.running(run.id(), lead.id(), step, recorder.now());
    return vertx.executeBlocking(() -> {
      // a shared run: the lease is checked (and extended) before every call, so a worker whose lease expired and was
      // taken over starts nothing more for that lead
      if (mayStart != null && !mayStart.test(lead.id())) throw new LeaseLost(lead.id());
      store.saveStep(running);
      return null;
    }, false).compose(v -> recorder.record(run.id(), lead.id(), step, running.startedAt(),
        () -> call.get().onFailure(this::stopOnBudget))).compose(r -> {
      counters.executed.incrementAndGet();
      counters.addCost(r.record().costUsd());
      existing.put(key, r.record());
      if (r.done()) return Future.succeededFuture(r.value());
      counters.failed.incrementAndGet();
      return Future.failedFuture(new StepFailed(r.record().error()));
    });
  }

  /** Runs as soon as a call fails, before its record is written: no further call starts meanwhile. */
  private void stopOnBudget(Throwable t) {
    if (t instanceof LlmException le && le.kind() == ErrorKind.BUDGET_EXCEEDED && !counters.stopping()) {
      // every further call would be refused too: stop issuing, keep what is done
      log.warn("budget exceeded: stopping the run ({})", le.getMessage());
      counters.stop();
    }
  }

  /** A step failed and was recorded; the lead stops there. */
  static final class StepFailed extends RuntimeException {
    StepFailed(String m) {
      super(m, null, false, false);
    }
  }

  /** A shared run's lead whose lease this worker lost (it expired and another worker took it); nothing was started. */
  static final class LeaseLost extends RuntimeException {
    LeaseLost(String leadId) {
      super("the lease of lead " + leadId + " expired and another worker took it over", null, false, false);
    }
  }

  /** The pipeline is stopping; the step was not started. */
  static final class Stopped extends RuntimeException {
    Stopped() {
      super("stopping", null, false, false);
    }
  }
}
