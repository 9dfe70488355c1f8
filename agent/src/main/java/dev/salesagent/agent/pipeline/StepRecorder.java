package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.schema.AgentJson;
import dev.salesagent.agent.schema.StructuredOutputException;
import dev.salesagent.agent.schema.StructuredResult;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.trace.SpanHandle;
import dev.salesagent.router.trace.TraceScope;
import dev.salesagent.router.trace.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * One meaning of a step for the CLI's pipeline and the HTTP API: runs one step's router call and stores what it
 * came to — {@code done} with the result, prompt version, provider, model, cost, calls, latency and fallbacks, or
 * {@code failed} with the error's kind and message and what the failure still cost. The record is written (off the
 * event loop) before the caller hears of the outcome, so a finished call is never lost.
 */
public final class StepRecorder {
  private final Vertx vertx;
  private final RunStore store;
  private final Clock clock;
  /** A span per step ({@link Tracing#OFF}: none); its router calls' attempts are its children. */
  private volatile Tracing tracing = Tracing.OFF;

  public StepRecorder(Vertx vertx, RunStore store, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock == null ? Clock.systemUTC() : clock;
  }

  /** Traces each step from now on (the app wires it once, before the run). */
  public void traceWith(Tracing t) {
    this.tracing = t == null ? Tracing.OFF : t;
  }

  /** A step's call and its stored record: {@code value} when it is done, {@code failure} when it failed. */
  public record Recorded<T>(StepRecord record, T value, Throwable failure) {
    public boolean done() {
      return record.status() == StepStatus.DONE;
    }
  }

  public Instant now() {
    return clock.instant();
  }

  /**
   * Calls {@code call}, records the outcome under {@code (runId, leadId, step)} and completes with it; fails only when
   * the record cannot be written.
   */
  public <T> Future<Recorded<T>> record(String runId, String leadId, Step step, Instant startedAt,
                                        Supplier<Future<StructuredResult<T>>> call) {
    Future<StructuredResult<T>> f;
    SpanHandle span = tracing.workSpan(step.wire(), leadId, runId);
    // current while the call starts: the router takes it as the parent of the call's attempts (and hands it back
    // when it answers, so a repair call stays under it too)
    try (TraceScope s = span.makeCurrent()) {
      f = call.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.transform(ar -> {
      span.end(0, ar.succeeded() ? null : errorType(ar.cause()));
      Recorded<T> r = ar.succeeded()
          ? new Recorded<>(done(runId, leadId, step, ar.result(), startedAt, clock.instant()), ar.result().value(), null)
          : new Recorded<>(failed(runId, leadId, step, ar.cause(), startedAt, clock.instant()), null, ar.cause());
      return vertx.executeBlocking(() -> {
        store.saveStep(r.record());
        return r;
      }, false);
    });
  }

  private static String errorType(Throwable t) {
    return t instanceof LlmException le ? le.kind().wire() : t.getClass().getSimpleName();
  }

  /** The record of a step whose call succeeded. */
  public static StepRecord done(String runId, String leadId, Step step, StructuredResult<?> r, Instant startedAt,
                                Instant finishedAt) {
    return new StepRecord(runId, leadId, step, StepStatus.DONE, AgentJson.write(r.value()), r.promptId(), r.provider(),
        r.model(), r.costUsd(), r.calls(), r.latencyMs(), r.fallbacks(), null, startedAt, finishedAt);
  }

  /** The record of a step whose call failed: who answered last and what the failed calls cost, where known. */
  public static StepRecord failed(String runId, String leadId, Step step, Throwable t, Instant startedAt,
                                  Instant finishedAt) {
    String provider = null;
    String model = null;
    double cost = 0;
    int calls = 1;
    if (t instanceof StructuredOutputException so) {
      provider = so.provider();
      model = so.model();
      cost = so.costUsd();
      calls = so.calls();
    } else if (t instanceof LlmException le) {
      provider = le.provider();
      model = le.model();
    }
    return new StepRecord(runId, leadId, step, StepStatus.FAILED, null, null, provider, model, cost, calls, 0, 0,
        describe(t), startedAt, finishedAt);
  }

  /**
   * {@code <error kind>: <message>}, {@code invalid_output: <message>}, or {@code internal error} for a failure that
   * is not one of ours (a database fault, a bug): a step's error is shown by {@code GET /v1/leads/{id}}, and an
   * exception's own text may hold SQL or class names, so it goes to the log, not the record.
   */
  public static String describe(Throwable t) {
    if (t instanceof LlmException le) return le.kind().wire() + ": " + le.getMessage();
    if (t instanceof StructuredOutputException so) return "invalid_output: " + so.getMessage();
    org.slf4j.LoggerFactory.getLogger(StepRecorder.class).warn("step failed unexpectedly", t);
    return "internal error";
  }
}
