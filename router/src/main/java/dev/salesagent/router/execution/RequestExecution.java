package dev.salesagent.router.execution;

import dev.salesagent.router.embedding.EmbeddingRequest;
import dev.salesagent.router.embedding.EmbeddingResponse;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.routing.EmbeddingRouteRequest;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedEmbeddings;
import dev.salesagent.router.routing.RoutedCall;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.strategy.PlanInput;
import dev.salesagent.router.strategy.RoutePlan;
import dev.salesagent.router.strategy.TargetRef;
import dev.salesagent.router.trace.RequestTrace;
import dev.salesagent.router.trace.TraceScope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One routed request executing its plan: walks the targets in order, has each one's {@link AttemptPermits} acquired
 * (circuit permit, admission, budget reservation), runs a {@link TargetAttempt} with them, and after a failure follows
 * the {@link Recovery} — retry, fall back, continue a delivered stream elsewhere, or fail. Ends exactly once. All its
 * callbacks run on one Vert.x context.
 */
final class RequestExecution implements RoutedCall, AttemptListener {
  // logged under the router's name: that is the logger operators configure
  private static final Logger log = LoggerFactory.getLogger(UnifiedRouter.class);

  private final RouterServices services;
  /** The chat request; {@code null} for embeddings. */
  private final RouteRequest req;
  /** The embeddings request; {@code null} for chat. */
  private final EmbeddingRequest embedding;
  private final String requestId;
  private final String task;
  private final String taskReason;
  private final PlanInput input;
  private final RoutePlan plan;
  private final boolean streaming;
  private final Deadline deadline;
  private final StreamRelay relay;
  private final AttemptLedger ledger;
  private final AttemptScope scope;
  private final Promise<RoutedResponse> promise = Promise.promise();
  /** Completed instead of {@link #promise} when the request is for embeddings. */
  private final Promise<RoutedEmbeddings> embedded;
  /** Why targets were passed over at run time, for the final error. */
  private final List<String> notes = new ArrayList<>(2);
  private int planIdx;
  /** The largest context window that overflowed: targets with no larger one are not tried. */
  private int ctxFloor;
  private int reservationSeq;
  private LlmException lastError;
  private TargetRef lastTarget;
  private boolean finished;
  private boolean selfContinuationTried;
  /** The context the request runs on, for a cancellation that comes from elsewhere. */
  private volatile Context context;
  /** The attempt in flight, or the last one. */
  private TargetAttempt current;
  /** Permits being acquired for the next attempt (it has no {@link TargetAttempt} yet); null otherwise. */
  private AttemptPermits acquiring;
  /** A retry waiting out its backoff, -1 when none. */
  private long retryTimer = -1;
  private boolean cancelled;

  RequestExecution(RouterServices services, RouteRequest req, PlannedRequest planned, StreamObserver observer, Deadline deadline,
                   RequestTrace trace) {
    this(services, req, null, requested(req.provider(), req.model(), req.task()), req.requestId(), req.apiKeyId(),
        planned, observer, deadline, trace);
  }

  /** An embeddings request: executed like a non-streaming chat call; its answer is {@link #embeddings()}. */
  RequestExecution(RouterServices services, EmbeddingRouteRequest er, PlannedRequest planned, Deadline deadline,
                   RequestTrace trace) {
    this(services, null, er.embedding(), requested(er.provider(), er.model(), er.task()), er.requestId(), er.apiKeyId(),
        planned, null, deadline, trace);
  }

  /** @param requested what the caller asked for, for the request log (see {@link #requested}) */
  private RequestExecution(RouterServices services, RouteRequest req, EmbeddingRequest embedding, String requested,
                           String requestId,
                           String apiKeyId, PlannedRequest planned, StreamObserver observer, Deadline deadline,
                           RequestTrace trace) {
    this.services = services;
    this.req = req;
    this.embedding = embedding;
    this.embedded = embedding == null ? null : Promise.promise();
    this.requestId = requestId;
    this.task = planned.task();
    this.taskReason = planned.taskReason();
    this.input = planned.input();
    this.plan = planned.plan();
    this.streaming = observer != null;
    this.deadline = deadline;
    this.relay = new StreamRelay(observer);
    this.ledger = new AttemptLedger(services, requestId, apiKeyId, task, streaming, requested);
    this.scope = new AttemptScope(services, requestId, task, streaming, deadline, relay, ledger, trace);
    relay.onCancel(this::cancelFromCaller);
  }

  /** What the caller asked for, for the request log: the pinned target, else the task it named, else {@code auto}. */
  static String requested(String provider, String model, String task) {
    if (provider != null) return model == null ? provider : provider + "/" + model;
    if (model != null) return model;
    return task == null || task.equals("auto") ? "auto" : "task:" + task;
  }

  @Override
  public Future<RoutedResponse> result() { return promise.future(); }

  /** The answer of an embeddings request. */
  Future<RoutedEmbeddings> embeddings() { return embedded.future(); }

  /** {@link RoutedCall#cancel()}: the relay's cancel, which every caller shares (streaming or not, before start or after). */
  @Override
  public void cancel() {
    relay.cancel();
  }

  void start() {
    context = Vertx.currentContext();
    if (relay.cancelled()) { // cancelled before it started (the cancel saw no context to run on)
      cancelNow();
      return;
    }
    if (plan.isEmpty()) {
      fail(FailureReport.noUsableTarget(plan));
      return;
    }
    if (plan.note() != null) notes.add(plan.note());
    nextTarget();
  }

  private void nextTarget() {
    while (planIdx < plan.size()) {
      TargetRef t = plan.get(planIdx);
      if (ctxFloor > 0 && t.spec().contextWindow() <= ctxFloor) {
        notes.add(t + " skipped: context window " + t.spec().contextWindow() + " is not larger than the one that overflowed");
        planIdx++;
        continue;
      }
      boolean delivered = relay.delivered();
      if (delivered && (!t.has(Capability.CONTINUATION) || relay.toolsDelivered())) {
        notes.add(t + " cannot continue a stream (" + (relay.toolsDelivered() ? "tool call in flight" : "no continuation capability") + ")");
        planIdx++;
        continue;
      }
      if (delivered) services.metrics().continuation(t.providerName(), t.model(), task);
      tryTarget(t, 0);
      return;
    }
    exhausted();
  }

  private void exhausted() {
    if (relay.delivered() && !selfContinuationTried && !relay.toolsDelivered() && lastTarget != null
        && lastTarget.has(Capability.CONTINUATION) && lastError != null && lastError.fallbackable() && deadline.remainingMs() > 0) {
      // no other target can continue: the target that was cut can, once (a pinned Anthropic stream, say)
      selfContinuationTried = true;
      notes.add("continued on " + lastTarget + " itself");
      services.metrics().continuation(lastTarget.providerName(), lastTarget.model(), task);
      tryTarget(lastTarget, 0);
      return;
    }
    if (relay.delivered()) {
      fail(FailureReport.interrupted(relay.deliveredChars(), lastError, lastTarget, notesSuffix()));
    } else if (ledger.isEmpty()) {
      fail(FailureReport.noTargetCalled(plan, notesSuffix()));
    } else if (plan.size() == 1 && lastError != null) {
      fail(lastError); // a plan of one target reports that target's own kind
    } else {
      fail(FailureReport.allFailed(plan, ledger.attempts(), lastError, lastTarget, notesSuffix()));
    }
  }

  private String notesSuffix() {
    return FailureReport.notes(plan, notes);
  }

  private void skip(String note) {
    notes.add(note);
    planIdx++;
    nextTarget();
  }

  private void tryTarget(TargetRef t, int retryNo) {
    if (finished || cancelled) return;
    lastTarget = t;
    if (deadline.remainingMs() <= 0) {
      deadlinePassed(t);
      return;
    }
    AttemptPermits permits = new AttemptPermits(services, t);
    if (!permits.takeCircuitPermit()) {
      skip(t + " skipped: circuit " + permits.circuitState() + " at call time");
      return;
    }
    // a refused stage gives everything back itself; a cancel meanwhile abandons the permits (cancelNow), after which
    // no stage calls back
    acquiring = permits;
    permits.admit(input.estimatedInputTokens() + input.expectedOutputTokens(), deadline).onComplete(ar -> {
      if (finished || cancelled) {
        permits.abandon();
        return;
      }
      if (ar.failed()) {
        acquiring = null;
        skip(t + " skipped: " + ar.cause().getMessage());
        return;
      }
      int inputTokens = inputTokens();
      double estimate = t.estimateUsd(inputTokens, input.expectedOutputTokens());
      permits.reserve(requestId + "#" + (++reservationSeq), ledger.apiKeyId(), estimate, inputTokens, rr -> {
        if (finished || cancelled) {
          permits.abandon();
          return;
        }
        acquiring = null;
        if (rr.failed()) {
          Throwable c = rr.cause();
          LlmException be = c instanceof LlmException le ? le
              : LlmException.builder(ErrorKind.BUDGET_EXCEEDED, "budget check failed: " + c.getMessage()).cause(c).build();
          fail(be.toBuilder().provider(t.providerName()).model(t.model()).build());
          return;
        }
        call(permits, retryNo);
      });
    });
  }

  /** The prompt estimate of the next attempt: a continuation also sends the delivered text back as prefill. */
  private int inputTokens() {
    int in = input.estimatedInputTokens();
    if (relay.delivered()) in += services.tokens().count(relay.deliveredText());
    return in;
  }

  private void deadlinePassed(TargetRef t) {
    LlmException e = FailureReport.deadlinePassed(services.config().resilience().timeouts().totalMs(), t);
    if (!relay.delivered() && (ledger.isEmpty() || plan.size() == 1)) {
      fail(e);
    } else {
      lastError = e;
      planIdx = plan.size();
      exhausted();
    }
  }

  private void call(AttemptPermits permits, int retryNo) {
    TargetAttempt a = new TargetAttempt(scope, permits, retryNo, this);
    current = a;
    if (embedding != null) {
      a.embed(embedding);
      return;
    }
    if (!streaming) {
      a.call(req.chat());
      return;
    }
    boolean continuing = relay.delivered();
    a.stream(continuing ? relay.continuationRequest(req.chat(), services.tokens()) : req.chat(), continuing);
  }

  /** Once per failed attempt, after it settled. */
  @Override
  public void attemptFailed(TargetAttempt a, LlmException e) {
    lastError = e;
    if (finished) return;
    TargetRef t = a.target();
    if (cancelled) {
      fail(callerCancelled(t));
      return;
    }
    Recovery r = Recovery.after(e, t, a.retryNo(), relay.delivered(), services.config().resilience().maxRetries(),
        deadline.remainingMs(), services.backoff());
    if (r instanceof Recovery.Continue) {
      planIdx++;
      nextTarget();
    } else if (r instanceof Recovery.Retry retry) {
      int next = a.retryNo() + 1;
      services.metrics().retry(t.providerName(), t.model(), task, e.kind().wire());
      if (retry.delayMs() <= 0) tryTarget(t, next);
      else retryTimer = services.vertx().setTimer(retry.delayMs(), id -> {
        retryTimer = -1;
        tryTarget(t, next);
      });
    } else if (r instanceof Recovery.Fallback fb) {
      if (fb.note() != null) notes.add(fb.note());
      if (fb.contextOverflow()) ctxFloor = Math.max(ctxFloor, t.spec().contextWindow());
      services.metrics().fallback(t.providerName(), t.model(), task, e.kind().wire());
      planIdx++;
      nextTarget();
    } else if (r instanceof Recovery.Fail f) {
      if (f.note() != null) notes.add(f.note());
      fail(e);
    }
  }

  /** {@link StreamRelay#cancel()}: from any thread, so it hops to the request's context. */
  private void cancelFromCaller() {
    Context c = context;
    if (c == null) return; // not started yet: start() sees the relay cancelled
    if (Vertx.currentContext() == c) cancelNow();
    else c.runOnContext(v -> cancelNow());
  }

  /**
   * The caller cancelled: no retry, fallback or continuation follows. An attempt in flight is cancelled and the
   * request fails once it settled (so its record is in the error's attempts); otherwise — between attempts, in a
   * backoff, acquiring permits (queued for a bulkhead slot, say) — the request fails at once and the permits being
   * acquired are abandoned: a queued waiter leaves the queue, whatever is held goes back.
   */
  private void cancelNow() {
    if (finished || cancelled) return;
    cancelled = true;
    if (retryTimer >= 0) {
      services.vertx().cancelTimer(retryTimer);
      retryTimer = -1;
    }
    TargetAttempt a = current;
    if (a != null && !a.isDone()) {
      a.cancel(callerCancelled(a.target()));
      return;
    }
    AttemptPermits p = acquiring;
    acquiring = null;
    if (p != null) p.abandon(); // first: by the time the caller hears of the failure, all is given back
    fail(callerCancelled(lastTarget));
  }

  private LlmException callerCancelled(TargetRef t) {
    String msg = (streaming ? "stream" : "call") + " cancelled by the caller" + (relay.delivered() ? " after " + relay.deliveredChars()
        + " characters were delivered" : " before any content was delivered");
    return LlmException.builder(ErrorKind.INTERRUPTED, msg).providerErrorType(AttemptLedger.CALLER_CANCELLED)
        .provider(t == null ? null : t.providerName()).model(t == null ? null : t.model()).build();
  }

  private void fail(LlmException e) {
    if (finished) return;
    finished = true;
    LlmException out = e.toBuilder().requestId(requestId).task(task).attempts(List.copyOf(ledger.attempts()))
        .provider(e.provider() != null ? e.provider() : lastTarget == null ? null : lastTarget.providerName())
        .model(e.model() != null ? e.model() : lastTarget == null ? null : lastTarget.model())
        .build();
    services.metrics().request(out.provider(), out.model(), task, plan.strategy(), e.kind().wire());
    if (log.isDebugEnabled()) log.debug("request {} failed: {} {}", requestId, e.kind().wire(), out.getMessage());
    // the caller's span is current while it hears the outcome: what it starts from there stays in its trace
    try (TraceScope s = scope.trace().enter()) {
      if (embedded != null) embedded.tryFail(out);
      else promise.tryFail(out);
    }
  }

  @Override
  public void attemptSucceeded(TargetAttempt a, ChatResponse resp) {
    TargetRef t = a.target();
    if (finished) return;
    finished = true;
    ChatResponse r = streaming ? relay.joined(resp, deadline) : resp;
    services.metrics().request(t.providerName(), t.model(), task, plan.strategy(), "ok");
    try (TraceScope s = scope.trace().enter()) {
      promise.tryComplete(new RoutedResponse(requestId, r, task, taskReason, ledger.costUsd(), ledger.attempts()));
    }
  }

  /** The context the request runs on ({@code null} until it started): where {@link #toString()} is read consistently. */
  Context context() { return context; }

  /**
   * Where the request stands — finished or not, which target, the attempt in flight and its stream, a backoff or a
   * permit being acquired — for a diagnostic (a test's timeout, a debugger). Read it on {@link #context()}: the fields
   * belong to that thread.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(256).append("request ").append(requestId).append(streaming ? " (stream)" : "");
    if (finished) sb.append(": finished, ").append((embedded != null ? embedded.future() : promise.future()).isComplete()
        ? "outcome delivered" : "OUTCOME NOT DELIVERED");
    else if (cancelled) sb.append(": cancelled, waiting for its attempt to settle");
    else if (context == null) sb.append(": not started");
    else sb.append(": running");
    sb.append("; plan position ").append(planIdx).append(" of ").append(plan.size())
        .append("; attempts ").append(ledger.attempts())
        .append("; delivered ").append(relay.deliveredChars()).append(" chars")
        .append("; deadline ").append(deadlineDescription());
    if (acquiring != null) sb.append("; acquiring permits for ").append(lastTarget);
    if (retryTimer >= 0) sb.append("; backing off before a retry of ").append(lastTarget);
    if (current != null) sb.append("; last attempt: ").append(current);
    if (lastError != null) sb.append("; last error: ").append(lastError.kind().wire()).append(' ').append(lastError.getMessage());
    return sb.toString();
  }

  /** "in N ms", or how long ago it passed: a request well past its deadline and still running means its timers are not firing. */
  private String deadlineDescription() {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadline.atNanos() - System.nanoTime());
    return ms >= 0 ? "in " + ms + " ms" : "passed " + (-ms) + " ms ago";
  }

  @Override
  public void attemptEmbedded(TargetAttempt a, EmbeddingResponse resp) {
    TargetRef t = a.target();
    if (finished) return;
    finished = true;
    services.metrics().request(t.providerName(), t.model(), task, plan.strategy(), "ok");
    try (TraceScope s = scope.trace().enter()) {
      embedded.tryComplete(new RoutedEmbeddings(requestId, resp, task, ledger.costUsd(), ledger.attempts()));
    }
  }
}
