package dev.salesagent.router.execution;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.execution.LiveState.ProviderRuntime;
import dev.salesagent.router.execution.LiveState.TargetRuntime;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedCall;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.strategy.PlanInput;
import dev.salesagent.router.strategy.RoutePlan;
import dev.salesagent.router.strategy.TargetRef;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One routed request executing its plan: walks the targets in order, takes each one's circuit permit, admission and
 * budget reservation, runs a {@link TargetAttempt}, and after a failure follows the {@link Recovery} — retry, fall back,
 * continue a delivered stream elsewhere, or fail. Ends exactly once. All its callbacks run on one Vert.x context.
 */
final class RequestExecution implements RoutedCall {
  // logged under the router's name: that is the logger operators configure
  private static final Logger log = LoggerFactory.getLogger(UnifiedRouter.class);

  private final RouterServices services;
  private final RouteRequest req;
  private final String requestId;
  private final String task;
  private final String taskReason;
  private final PlanInput input;
  private final RoutePlan plan;
  private final boolean streaming;
  private final Deadline deadline;
  private final StreamRelay relay;
  private final AttemptLedger ledger;
  private final Promise<RoutedResponse> promise = Promise.promise();
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
  /** A retry waiting out its backoff, -1 when none. */
  private long retryTimer = -1;
  private boolean cancelled;

  RequestExecution(RouterServices services, RouteRequest req, PlannedRequest planned, StreamObserver observer, Deadline deadline) {
    this.services = services;
    this.req = req;
    this.requestId = req.requestId();
    this.task = planned.task();
    this.taskReason = planned.taskReason();
    this.input = planned.input();
    this.plan = planned.plan();
    this.streaming = observer != null;
    this.deadline = deadline;
    this.relay = new StreamRelay(observer);
    this.ledger = new AttemptLedger(services, requestId, req.apiKeyId(), task, streaming);
    relay.onCancel(this::cancelFromCaller);
  }

  @Override
  public Future<RoutedResponse> result() { return promise.future(); }

  /** {@link RoutedCall#cancel()}: the relay's cancel, which every caller shares (streaming or not, before start or after). */
  @Override
  public void cancel() {
    relay.cancel();
  }

  RouterServices services() { return services; }

  String requestId() { return requestId; }

  String task() { return task; }

  boolean streaming() { return streaming; }

  Deadline deadline() { return deadline; }

  StreamRelay relay() { return relay; }

  AttemptLedger ledger() { return ledger; }

  boolean finished() { return finished; }

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
    TargetRuntime tr = services.state().target(t);
    ProviderRuntime pr = services.state().provider(t);
    if (!tr.breaker.tryAcquirePermission()) {
      skip(t + " skipped: circuit " + tr.breaker.getState().name().toLowerCase() + " at call time");
      return;
    }
    services.admission().acquire(pr, input.estimatedInputTokens() + input.expectedOutputTokens(), deadline).onComplete(ar -> {
      if (ar.failed()) {
        tr.breaker.releasePermission();
        if (finished) return;
        skip(t + " skipped: " + ar.cause().getMessage());
        return;
      }
      if (finished) { // cancelled while waiting for admission
        Admission.release(pr);
        tr.breaker.releasePermission();
        return;
      }
      int inputTokens = inputTokens();
      double estimate = t.estimateUsd(inputTokens, input.expectedOutputTokens());
      String resId = requestId + "#" + (++reservationSeq);
      services.budgets().reserve(resId, req.apiKeyId(), estimate).onComplete(rr -> {
        if (rr.succeeded() && finished) { // cancelled while reserving
          services.budgets().release(resId);
          Admission.release(pr);
          tr.breaker.releasePermission();
          return;
        }
        if (rr.failed()) {
          Admission.release(pr);
          tr.breaker.releasePermission();
          Throwable c = rr.cause();
          LlmException be = c instanceof LlmException le ? le
              : LlmException.builder(ErrorKind.BUDGET_EXCEEDED, "budget check failed: " + c.getMessage()).cause(c).build();
          fail(be.toBuilder().provider(t.providerName()).model(t.model()).build());
          return;
        }
        call(new Admitted(t, tr, pr, retryNo, resId, estimate, inputTokens));
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

  private void call(Admitted admitted) {
    TargetAttempt a = new TargetAttempt(this, admitted);
    current = a;
    if (!streaming) {
      a.call(req.chat());
      return;
    }
    boolean continuing = relay.delivered();
    a.stream(continuing ? relay.continuationRequest(req.chat(), services.tokens()) : req.chat(), continuing);
  }

  /** Called once per failed attempt, after it settled. */
  void attemptFailed(TargetAttempt a, LlmException e) {
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
   * backoff, waiting for admission — the request fails at once.
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
    } else {
      fail(callerCancelled(lastTarget));
    }
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
    promise.tryFail(out);
  }

  void complete(TargetRef t, ChatResponse resp) {
    if (finished) return;
    finished = true;
    ChatResponse r = streaming ? relay.joined(resp, deadline) : resp;
    services.metrics().request(t.providerName(), t.model(), task, plan.strategy(), "ok");
    promise.tryComplete(new RoutedResponse(requestId, r, task, taskReason, ledger.costUsd(), ledger.attempts()));
  }
}
