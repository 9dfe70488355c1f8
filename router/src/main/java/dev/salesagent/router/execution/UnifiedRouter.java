package dev.salesagent.router.execution;

import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.classify.TaskClassifier;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.execution.LiveState.ProviderRuntime;
import dev.salesagent.router.execution.LiveState.TargetRuntime;
import dev.salesagent.router.metrics.RouterMetrics;
import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.Message;
import dev.salesagent.router.model.ResponseFormat;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.provider.CallContext;
import dev.salesagent.router.provider.Capability;
import dev.salesagent.router.provider.ChatStream;
import dev.salesagent.router.provider.Timeouts;
import dev.salesagent.router.resilience.Backoff;
import dev.salesagent.router.routing.LlmRouter;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamControl;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.routing.UsageSink;
import dev.salesagent.router.strategy.PlanInput;
import dev.salesagent.router.strategy.Planner;
import dev.salesagent.router.strategy.RoutePlan;
import dev.salesagent.router.strategy.TargetRef;
import dev.salesagent.router.tokens.TokenEstimator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unified router: resolves the task (classifying when none is given), plans with the request's strategy, then
 * executes the plan under one deadline — per target a circuit-breaker permit, the provider's bulkhead and client-side
 * RPM/TPM limits, a budget reservation, the call, retries of retryable kinds with full-jitter backoff (Retry-After
 * honoured, never past the deadline), and fallback on fallbackable kinds. Streams fail over freely until content
 * reached the observer; after that a cut or stalled stream is continued on the next target that can continue
 * (assistant prefill), or the request fails with {@code interrupted}. Every attempt is recorded, metered and reported
 * to the {@link UsageSink}.
 */
public final class UnifiedRouter implements LlmRouter {
  private static final Logger log = LoggerFactory.getLogger(UnifiedRouter.class);
  private static final long GUARD_SLACK_MS = 250;

  private final Vertx vertx;
  private final LiveState state;
  private final Planner planner;
  private final RouterConfig config;
  private final RouterMetrics metrics;
  private final UsageSink usageSink;
  private final BudgetCounters budgets;
  private final TaskClassifier classifier = new TaskClassifier();
  private final TokenEstimator tokens = TokenEstimator.defaultEstimator();
  private final Backoff backoff;

  public UnifiedRouter(Vertx vertx, LiveState state, RouterMetrics metrics, UsageSink usageSink) {
    this.vertx = vertx;
    this.state = state;
    this.planner = state.planner();
    this.config = state.config();
    this.metrics = metrics;
    this.usageSink = usageSink == null ? UsageSink.NONE : usageSink;
    this.budgets = state.budgets();
    this.backoff = new Backoff(config.resilience().backoffInitialMs(), config.resilience().backoffMaxMs());
  }

  private volatile Context callerContext;

  private Context callerContext() {
    Context c = callerContext;
    if (c == null) {
      synchronized (this) {
        c = callerContext;
        if (c == null) {
          c = vertx.getOrCreateContext();
          callerContext = c;
        }
      }
    }
    return c;
  }

  @Override
  public Future<RoutedResponse> chat(RouteRequest request) {
    return execute(request, null);
  }

  @Override
  public Future<RoutedResponse> stream(RouteRequest request, StreamObserver observer) {
    if (observer == null) throw new NullPointerException("observer");
    return execute(request, observer);
  }

  /** Resolves and plans without calling anything (used by {@code explain} views and tests). */
  public RoutePlan plan(RouteRequest request) {
    return new Run(request, null).plan;
  }

  private Future<RoutedResponse> execute(RouteRequest request, StreamObserver observer) {
    Run run;
    try {
      run = new Run(request, observer);
    } catch (LlmException e) {
      LlmException enriched = e.toBuilder().requestId(request.requestId())
          .task(e.task() != null ? e.task() : request.task()).build();
      metrics.request(null, null, enriched.task(), request.strategy(), e.kind().wire());
      return Future.failedFuture(enriched);
    }
    Context ctx = Vertx.currentContext();
    if (ctx != null) {
      run.start();
    } else {
      // callers off Vert.x (CLI, batch threads) share one context: its connections and timers stay on one event
      // loop, so a call costs the same thread hops as a direct adapter call
      callerContext().runOnContext(v -> run.start());
    }
    return run.promise.future();
  }

  static boolean countsAgainstCircuit(ErrorKind k) {
    return switch (k) {
      case RATE_LIMITED, OVERLOADED, TIMEOUT, INTERRUPTED, UNAVAILABLE, UPSTREAM_ERROR, AUTHENTICATION, NOT_FOUND -> true;
      default -> false;
    };
  }

  /** Rate limits say "slow down", not "unhealthy": they count against the target's circuit, not the provider's health. */
  static boolean countsAgainstHealth(ErrorKind k) {
    return switch (k) {
      case OVERLOADED, TIMEOUT, INTERRUPTED, UNAVAILABLE, UPSTREAM_ERROR, AUTHENTICATION -> true;
      default -> false;
    };
  }

  /** One routed request. All its callbacks run on one Vert.x context. */
  private final class Run implements StreamControl {
    final RouteRequest req;
    final StreamObserver observer;
    final boolean streaming;
    final String requestId;
    final String task;
    final String taskReason;
    final RoutePlan plan;
    final PlanInput input;
    final long deadlineNanos;
    final long startNanos = System.nanoTime();
    final Promise<RoutedResponse> promise = Promise.promise();
    final List<Attempt> attempts = new ArrayList<>(4);
    final List<String> notes = new ArrayList<>(2);
    double costUsd;
    int planIdx;
    int ctxFloor;
    LlmException lastError;
    TargetRef lastTarget;
    int reservationSeq;
    boolean finished;
    boolean selfContinuationTried;

    // streaming state
    boolean started;
    boolean delivered;
    boolean toolsDelivered;
    final StringBuilder partial = new StringBuilder();
    int segments;
    Integer usageIn;
    Integer usageOut;
    Integer usageCached;
    boolean paused;
    ChatStream current;

    Run(RouteRequest req, StreamObserver observer) {
      this.req = req;
      this.observer = observer;
      this.streaming = observer != null;
      this.requestId = req.requestId();
      String t = req.task();
      String reason = null;
      String model = req.model();
      if (model != null && model.startsWith("task:")) {
        t = model.substring(5);
      }
      TargetRef[] pinned = planner.resolvePinned(req.provider(), model);
      if (t == null || t.isBlank() || "auto".equals(t)) {
        if (pinned != null) {
          t = pinnedTask(pinned);
          reason = t == null ? null : "pinned target; classified as " + t;
        }
        if (t == null) {
          TaskClassifier.Classification c = classifier.classify(req.chat());
          t = c.task();
          reason = c.reason();
        }
      }
      if (!planner.hasTask(t) && pinned == null) {
        throw LlmException.builder(ErrorKind.INVALID_REQUEST, "unknown task '" + t + "' (configured: "
            + String.join(", ", config.tasks().keySet()) + ", or auto)").task(t).build();
      }
      this.task = t;
      this.taskReason = reason;
      String strategy = req.strategy() == null || req.strategy().isBlank() ? config.defaultStrategy() : req.strategy();
      if (!RouterConfig.STRATEGIES.contains(strategy)) {
        throw LlmException.builder(ErrorKind.INVALID_REQUEST, "unknown strategy '" + strategy + "': write task, cost or latency").task(t).build();
      }
      ChatRequest chat = req.chat();
      int in = tokens.estimateInput(chat);
      int out = chat.maxTokens() != null ? chat.maxTokens()
          : config.tasks().containsKey(t) ? config.tasks().get(t).typicalOutputTokens() : 1024;
      Set<Capability> caps = req.hints().requiredCapabilities();
      if (!(chat.responseFormat() instanceof ResponseFormat.Text) || !chat.tools().isEmpty()) {
        EnumSet<Capability> s = caps.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(caps);
        if (!(chat.responseFormat() instanceof ResponseFormat.Text)) s.add(Capability.JSON);
        if (!chat.tools().isEmpty()) s.add(Capability.TOOLS);
        caps = s;
      }
      int minCtx = req.hints().minContextTokens() != null ? req.hints().minContextTokens() : in + (chat.maxTokens() == null ? 0 : chat.maxTokens());
      this.input = new PlanInput(t, strategy, pinned, caps, in, out, minCtx, req.hints().maxCostUsd(), req.apiKeyId(), streaming);
      this.plan = planner.plan(input, state);
      this.deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(config.resilience().timeouts().totalMs());
    }

    private String pinnedTask(TargetRef[] pinned) {
      for (var e : config.tasks().values()) if (e.chain().contains(pinned[0].target())) return e.name();
      return config.tasks().isEmpty() ? null : config.tasks().keySet().iterator().next();
    }

    long remainingMs() {
      return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    void start() {
      if (plan.isEmpty()) {
        TargetRef first = plan.skipped().isEmpty() ? null : plan.skipped().get(0).target();
        fail(LlmException.builder(ErrorKind.NO_ROUTE, "no usable target: " + plan.explain())
            .provider(first == null ? null : first.providerName()).model(first == null ? null : first.model()).build());
        return;
      }
      if (plan.note() != null) notes.add(plan.note());
      nextTarget();
    }

    // ------------------------------------------------------------------ plan walking

    void nextTarget() {
      while (planIdx < plan.size()) {
        TargetRef t = plan.get(planIdx);
        if (ctxFloor > 0 && t.spec().contextWindow() <= ctxFloor) {
          notes.add(t + " skipped: context window " + t.spec().contextWindow() + " is not larger than the one that overflowed");
          planIdx++;
          continue;
        }
        if (delivered && (!t.has(Capability.CONTINUATION) || toolsDelivered)) {
          notes.add(t + " cannot continue a stream (" + (toolsDelivered ? "tool call in flight" : "no continuation capability") + ")");
          planIdx++;
          continue;
        }
        if (delivered) metrics.continuation(t.providerName(), t.model(), task);
        tryTarget(t, 0);
        return;
      }
      exhausted();
    }

    void exhausted() {
      if (delivered && !selfContinuationTried && !toolsDelivered && lastTarget != null && lastTarget.has(Capability.CONTINUATION)
          && lastError != null && lastError.fallbackable() && remainingMs() > 0) {
        // no other target can continue: the target that was cut can, once (a pinned Anthropic stream, say)
        selfContinuationTried = true;
        notes.add("continued on " + lastTarget + " itself");
        metrics.continuation(lastTarget.providerName(), lastTarget.model(), task);
        tryTarget(lastTarget, 0);
        return;
      }
      if (delivered) {
        String why = lastError == null ? "stream interrupted" : lastError.getMessage();
        fail(LlmException.builder(ErrorKind.INTERRUPTED, "stream interrupted after " + partial.length()
                + " characters were delivered and no target could continue it (" + why + ")" + notesSuffix())
            .httpStatus(lastError == null ? null : lastError.httpStatus())
            .provider(lastTarget == null ? null : lastTarget.providerName()).model(lastTarget == null ? null : lastTarget.model())
            .build());
        return;
      }
      if (attempts.isEmpty()) {
        fail(LlmException.builder(ErrorKind.NO_ROUTE, "no target could be called: " + plan.explain() + notesSuffix()).build());
        return;
      }
      if (plan.size() == 1 && lastError != null) {
        fail(lastError);
        return;
      }
      StringBuilder sb = new StringBuilder("all ").append(plan.size()).append(" targets failed: ");
      for (int i = 0; i < attempts.size(); i++) {
        Attempt a = attempts.get(i);
        if (i > 0) sb.append("; ");
        sb.append(a.provider()).append('/').append(a.model()).append(' ').append(a.outcome());
        if (a.status() != null) sb.append(' ').append(a.status());
      }
      if (lastError != null) sb.append(" (last: ").append(lastError.getMessage()).append(')');
      fail(LlmException.builder(ErrorKind.NO_ROUTE, sb + notesSuffix())
          .provider(lastTarget == null ? null : lastTarget.providerName()).model(lastTarget == null ? null : lastTarget.model())
          .httpStatus(lastError == null ? null : lastError.httpStatus()).build());
    }

    String notesSuffix() {
      if (notes.isEmpty() && plan.skipped().isEmpty()) return "";
      StringBuilder sb = new StringBuilder("; ");
      boolean first = true;
      for (var s : plan.skipped()) {
        if (!first) sb.append("; ");
        sb.append(s.target()).append(" skipped: ").append(s.reason());
        first = false;
      }
      for (String n : notes) {
        if (!first) sb.append("; ");
        sb.append(n);
        first = false;
      }
      return sb.toString();
    }

    void fallback(TargetRef t, LlmException e) {
      metrics.fallback(t.providerName(), t.model(), task, e.kind().wire());
      planIdx++;
      nextTarget();
    }

    // ------------------------------------------------------------------ one target

    void tryTarget(TargetRef t, int retryNo) {
      if (finished) return;
      lastTarget = t;
      if (remainingMs() <= 0) {
        deadlinePassed(t);
        return;
      }
      TargetRuntime tr = state.target(t);
      ProviderRuntime pr = state.provider(t);
      if (!tr.breaker.tryAcquirePermission()) {
        notes.add(t + " skipped: circuit " + tr.breaker.getState().name().toLowerCase() + " at call time");
        planIdx++;
        nextTarget();
        return;
      }
      acquireLimits(pr, input.estimatedInputTokens() + input.expectedOutputTokens()).onComplete(ar -> {
        if (ar.failed()) {
          tr.breaker.releasePermission();
          notes.add(t + " skipped: " + ar.cause().getMessage());
          planIdx++;
          nextTarget();
          return;
        }
        double estimate = estimateUsd(t);
        String resId = requestId + "#" + (++reservationSeq);
        budgets.reserve(resId, req.apiKeyId(), estimate).onComplete(rr -> {
          if (rr.failed()) {
            if (pr.bulkhead != null) pr.bulkhead.onComplete();
            tr.breaker.releasePermission();
            Throwable c = rr.cause();
            LlmException be = c instanceof LlmException le ? le
                : LlmException.builder(ErrorKind.BUDGET_EXCEEDED, "budget check failed: " + c.getMessage()).cause(c).build();
            fail(be.toBuilder().provider(t.providerName()).model(t.model()).build());
            return;
          }
          call(t, tr, pr, retryNo, resId, estimate);
        });
      });
    }

    double estimateUsd(TargetRef t) {
      int out = input.expectedOutputTokens();
      int in = input.estimatedInputTokens();
      if (delivered) in += tokens.count(partial.toString());
      return t.estimateUsd(in, out);
    }

    void deadlinePassed(TargetRef t) {
      LlmException e = LlmException.builder(ErrorKind.TIMEOUT, "the request's deadline of "
              + config.resilience().timeouts().totalMs() + " ms passed")
          .provider(t.providerName()).model(t.model()).build();
      if (delivered) {
        lastError = e;
        planIdx = plan.size();
        exhausted();
      } else if (attempts.isEmpty() || plan.size() == 1) {
        fail(e);
      } else {
        lastError = e;
        planIdx = plan.size();
        exhausted();
      }
    }

    Future<Void> acquireLimits(ProviderRuntime pr, int tokensNeeded) {
      if (pr.bulkhead == null && pr.rpm == null && pr.tpm == null) return Future.succeededFuture();
      Promise<Void> p = Promise.promise();
      acquireBulkhead(pr, tokensNeeded, p);
      return p.future();
    }

    void acquireBulkhead(ProviderRuntime pr, int tokensNeeded, Promise<Void> p) {
      if (pr.bulkhead != null && !pr.bulkhead.tryAcquirePermission()) {
        if (remainingMs() <= 5) {
          p.fail(LlmException.of(ErrorKind.OVERLOADED, "concurrency limit of " + pr.name() + " ("
              + pr.config.settings().maxConcurrency() + " calls) stayed full until the deadline"));
          return;
        }
        vertx.setTimer(2, id -> acquireBulkhead(pr, tokensNeeded, p));
        return;
      }
      long waitNanos = 0;
      if (pr.rpm != null) {
        long w = pr.rpm.reservePermission();
        if (w < 0) {
          release(pr);
          p.fail(LlmException.of(ErrorKind.RATE_LIMITED, "client-side rpm limit of " + pr.name() + " leaves no slot before the deadline"));
          return;
        }
        waitNanos = w;
      }
      if (pr.tpm != null) {
        long w = pr.tpm.reservePermission(LiveState.tpmPermits(pr, tokensNeeded));
        if (w < 0) {
          release(pr);
          p.fail(LlmException.of(ErrorKind.RATE_LIMITED, "client-side tpm limit of " + pr.name() + " leaves no room before the deadline"));
          return;
        }
        waitNanos = Math.max(waitNanos, w);
      }
      long waitMs = TimeUnit.NANOSECONDS.toMillis(waitNanos);
      if (waitMs >= remainingMs()) {
        release(pr);
        p.fail(LlmException.of(ErrorKind.RATE_LIMITED, "client-side rate limit of " + pr.name() + " would delay the call "
            + waitMs + " ms, past the deadline"));
        return;
      }
      if (waitMs > 0) vertx.setTimer(waitMs, id -> p.complete());
      else p.complete();
    }

    void release(ProviderRuntime pr) {
      if (pr.bulkhead != null) pr.bulkhead.onComplete();
    }

    void call(TargetRef t, TargetRuntime tr, ProviderRuntime pr, int retryNo, String resId, double estimate) {
      Timeouts to = pr.config.settings().timeouts();
      CallContext cctx = new CallContext(requestId, deadlineNanos, to.firstTokenMs(), to.idleMs());
      AttemptRun a = new AttemptRun(t, tr, pr, retryNo, resId, estimate);
      ChatRequest chat = req.chat();
      if (!streaming) {
        a.armDeadlineGuard();
        Future<ChatResponse> f;
        try {
          f = pr.adapter.chat(t.model(), chat, cctx);
        } catch (RuntimeException ex) {
          f = Future.failedFuture(ex);
        }
        f.onComplete(ar -> {
          if (ar.succeeded()) a.succeeded(ar.result());
          else a.failed(ar.cause());
        });
        return;
      }
      if (delivered) chat = continuationRequest(chat);
      a.continuing = delivered;
      a.armDeadlineGuard();
      a.armFirstTokenGuard(to.firstTokenMs());
      Future<ChatStream> f;
      try {
        f = pr.adapter.stream(t.model(), chat, cctx, a::onEvent);
      } catch (RuntimeException ex) {
        f = Future.failedFuture(ex);
      }
      f.onComplete(ar -> {
        if (ar.failed()) {
          a.failed(ar.cause());
          return;
        }
        ChatStream s = ar.result();
        if (a.done) {
          s.cancel();
          return;
        }
        a.stream = s;
        current = s;
        if (paused) s.pause();
        a.armIdleGuard(to.idleMs());
        s.result().onComplete(rr -> {
          if (rr.succeeded()) a.succeeded(rr.result());
          else a.failed(rr.cause());
        });
      });
    }

    /** The conversation with the delivered partial answer as a trailing assistant message (prefill). */
    ChatRequest continuationRequest(ChatRequest chat) {
      String text = partial.toString();
      String trimmed = text.stripTrailing();
      pendingWs = text.substring(trimmed.length());
      List<Message> msgs = new ArrayList<>(chat.messages().size() + 1);
      msgs.addAll(chat.messages());
      if (!trimmed.isEmpty()) msgs.add(Message.assistant(trimmed));
      ChatRequest c = chat.withMessages(msgs);
      if (chat.maxTokens() != null) {
        int used = usageOut != null ? usageOut : tokens.count(text);
        c = c.withMaxTokens(Math.max(1, chat.maxTokens() - used));
      }
      return c;
    }

    String pendingWs = "";

    // ------------------------------------------------------------------ outcomes

    void fail(LlmException e) {
      if (finished) return;
      finished = true;
      LlmException out = e.toBuilder().requestId(requestId).task(task).attempts(List.copyOf(attempts))
          .provider(e.provider() != null ? e.provider() : lastTarget == null ? null : lastTarget.providerName())
          .model(e.model() != null ? e.model() : lastTarget == null ? null : lastTarget.model())
          .build();
      metrics.request(out.provider(), out.model(), task, plan.strategy(), e.kind().wire());
      if (log.isDebugEnabled()) log.debug("request {} failed: {} {}", requestId, e.kind().wire(), out.getMessage());
      promise.tryFail(out);
    }

    void complete(TargetRef t, ChatResponse resp) {
      if (finished) return;
      finished = true;
      ChatResponse r = resp;
      if (streaming && segments > 1) {
        Usage u = (usageIn == null && usageOut == null) ? Usage.UNKNOWN : new Usage(usageIn, usageOut, usageCached);
        r = new ChatResponse(resp.id(), resp.provider(), resp.model(), partial.toString(), resp.reasoning(), resp.toolCalls(),
            resp.finishReason(), resp.nativeFinishReason(), u, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
            firstTtft);
      }
      metrics.request(t.providerName(), t.model(), task, plan.strategy(), "ok");
      promise.tryComplete(new RoutedResponse(requestId, r, task, taskReason, costUsd, attempts));
    }

    Long firstTtft;

    void addUsage(Usage u) {
      if (u == null || !u.isKnown()) return;
      if (u.inputTokens() != null) usageIn = (usageIn == null ? 0 : usageIn) + u.inputTokens();
      if (u.outputTokens() != null) usageOut = (usageOut == null ? 0 : usageOut) + u.outputTokens();
      if (u.cachedInputTokens() != null) usageCached = (usageCached == null ? 0 : usageCached) + u.cachedInputTokens();
    }

    void deliver(TargetRef t, StreamEvent ev) {
      if (!started) {
        started = true;
        try {
          observer.onStart(t.target(), this);
        } catch (RuntimeException ex) {
          log.warn("stream observer onStart threw", ex);
        }
      }
      delivered = true;
      if (ev instanceof StreamEvent.TextDelta td) partial.append(td.text());
      else if (ev instanceof StreamEvent.ToolCallDelta) toolsDelivered = true;
      try {
        observer.onEvent(ev);
      } catch (RuntimeException ex) {
        log.warn("stream observer onEvent threw", ex);
      }
    }

    @Override
    public void pause() {
      paused = true;
      if (current != null) current.pause();
    }

    @Override
    public void resume() {
      paused = false;
      if (current != null) current.resume();
    }

    /** One call to one target. */
    final class AttemptRun {
      final TargetRef t;
      final TargetRuntime tr;
      final ProviderRuntime pr;
      final int retryNo;
      final String resId;
      final double estimate;
      final long sent = System.nanoTime();
      boolean done;
      boolean continuing;
      boolean gotContent;
      boolean wsChecked;
      Long ttftMs;
      long lastEventNanos = System.nanoTime();
      ChatStream stream;
      long deadlineTimer = -1;
      long firstTokenTimer = -1;
      long idleTimer = -1;

      AttemptRun(TargetRef t, TargetRuntime tr, ProviderRuntime pr, int retryNo, String resId, double estimate) {
        this.t = t;
        this.tr = tr;
        this.pr = pr;
        this.retryNo = retryNo;
        this.resId = resId;
        this.estimate = estimate;
      }

      void armDeadlineGuard() {
        deadlineTimer = vertx.setTimer(remainingMs() + GUARD_SLACK_MS, id -> {
          deadlineTimer = -1;
          abort(LlmException.builder(ErrorKind.TIMEOUT, "no answer from " + t + " before the request's deadline")
              .provider(t.providerName()).model(t.model()).build());
        });
      }

      void armFirstTokenGuard(long ms) {
        firstTokenTimer = vertx.setTimer(Math.max(1, Math.min(ms + GUARD_SLACK_MS, remainingMs() + GUARD_SLACK_MS)), id -> {
          firstTokenTimer = -1;
          if (!gotContent) {
            abort(LlmException.builder(ErrorKind.TIMEOUT, "no first token from " + t + " within " + ms + " ms")
                .provider(t.providerName()).model(t.model()).build());
          }
        });
      }

      void armIdleGuard(long idleMs) {
        long period = Math.max(20, idleMs / 4);
        idleTimer = vertx.setPeriodic(period, id -> {
          if (done) {
            vertx.cancelTimer(id);
            return;
          }
          if (paused) {
            lastEventNanos = System.nanoTime();
            return;
          }
          if (gotContent && System.nanoTime() - lastEventNanos > TimeUnit.MILLISECONDS.toNanos(idleMs + GUARD_SLACK_MS)) {
            abort(LlmException.builder(ErrorKind.INTERRUPTED, "stream from " + t + " stalled: silent for more than " + idleMs + " ms")
                .provider(t.providerName()).model(t.model()).build());
          }
        });
      }

      void cancelTimers() {
        if (deadlineTimer >= 0) vertx.cancelTimer(deadlineTimer);
        if (firstTokenTimer >= 0) vertx.cancelTimer(firstTokenTimer);
        if (idleTimer >= 0) vertx.cancelTimer(idleTimer);
        deadlineTimer = firstTokenTimer = idleTimer = -1;
      }

      void abort(LlmException e) {
        if (done) return;
        if (stream != null) {
          try {
            stream.cancel();
          } catch (RuntimeException ignore) {
            // the stream is being dropped anyway
          }
        }
        failed(e);
      }

      void onEvent(StreamEvent ev) {
        if (done || finished) return;
        lastEventNanos = System.nanoTime();
        if (ev instanceof StreamEvent.TextDelta td) {
          String text = td.text();
          if (text == null || text.isEmpty()) return;
          if (continuing && !wsChecked) {
            wsChecked = true;
            int k = 0;
            while (k < pendingWs.length() && k < text.length() && text.charAt(k) == pendingWs.charAt(k)) k++;
            if (k > 0) text = text.substring(k);
            if (text.isEmpty()) return;
            ev = new StreamEvent.TextDelta(text);
          }
        } else if (ev instanceof StreamEvent.ReasoningDelta rd) {
          if (rd.text() == null || rd.text().isEmpty()) return;
        } else if (ev == null) {
          return;
        }
        if (!gotContent) {
          gotContent = true;
          ttftMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
          if (firstTtft == null) firstTtft = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
          if (firstTokenTimer >= 0) {
            vertx.cancelTimer(firstTokenTimer);
            firstTokenTimer = -1;
          }
          metrics.ttft(t.providerName(), t.model(), task, ttftMs);
        }
        deliver(t, ev);
      }

      long latencyMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      }

      void succeeded(ChatResponse resp) {
        if (done) return;
        done = true;
        cancelTimers();
        if (stream == current) current = null;
        release(pr);
        long lat = latencyMs();
        tr.breaker.onSuccess(lat, TimeUnit.MILLISECONDS);
        pr.health.recordSuccess();
        state.recordLatency(t, lat, streaming ? ttftMs : null);
        Usage u = resp.usage();
        double cost = cost(u);
        budgets.settle(resId, u.isKnown() ? cost : estimate);
        costUsd += cost;
        attempts.add(new Attempt(t.providerName(), t.model(), "ok", 200, lat));
        record(u, cost, lat, "ok", 200);
        if (streaming) {
          segments++;
          addUsage(u);
          if (!delivered && !resp.text().isEmpty()) {
            // an adapter that finalised without emitting deltas: deliver the text as one fragment
            deliver(t, new StreamEvent.TextDelta(resp.text()));
          }
        }
        complete(t, resp);
      }

      void failed(Throwable cause) {
        if (done) return;
        done = true;
        cancelTimers();
        if (stream == current) current = null;
        release(pr);
        long lat = latencyMs();
        LlmException e = toLlm(cause);
        ErrorKind k = e.kind();
        if (countsAgainstCircuit(k)) tr.breaker.onError(lat, TimeUnit.MILLISECONDS, e);
        else tr.breaker.onSuccess(lat, TimeUnit.MILLISECONDS);
        if (countsAgainstHealth(k)) pr.health.recordFailure(k, e.httpStatus());
        else if (k != ErrorKind.NOT_FOUND && k != ErrorKind.RATE_LIMITED) pr.health.recordSuccess();
        Usage pu = e.partialUsage();
        double cost = cost(pu);
        budgets.settle(resId, cost);
        costUsd += cost;
        attempts.add(new Attempt(t.providerName(), t.model(), k.wire(), e.httpStatus(), lat));
        record(pu, cost, lat, k.wire(), e.httpStatus());
        if (streaming && gotContent) {
          segments++;
          addUsage(pu);
        }
        lastError = e;
        if (finished) return;
        decide(e);
      }

      void decide(LlmException e) {
        ErrorKind k = e.kind();
        if (delivered) {
          // content reached the caller: only a continuation can rescue the stream, never a plain retry
          if (!e.fallbackable() && k != ErrorKind.INTERRUPTED) {
            fail(e);
            return;
          }
          planIdx++;
          nextTarget();
          return;
        }
        if (k.retryable() && retryNo < config.resilience().maxRetries()) {
          long remaining = remainingMs();
          if (e.retryAfter() != null && e.retryAfter().toMillis() >= remaining) {
            notes.add(t + ": Retry-After " + e.retryAfter().toSeconds() + " s is past the deadline");
            if (e.fallbackable()) fallback(t, e);
            else fail(e);
            return;
          }
          long delay = backoff.delayMs(retryNo + 1, e.retryAfter());
          if (delay < remaining) {
            metrics.retry(t.providerName(), t.model(), task, k.wire());
            if (delay <= 0) tryTarget(t, retryNo + 1);
            else vertx.setTimer(delay, id -> tryTarget(t, retryNo + 1));
            return;
          }
        }
        if (e.fallbackable()) {
          if (e.contextLengthExceeded()) ctxFloor = Math.max(ctxFloor, t.spec().contextWindow());
          fallback(t, e);
        } else {
          fail(e);
        }
      }

      double cost(Usage u) {
        if (u == null || !u.isKnown()) return 0;
        return t.spec().costUsd(u.inputOrZero(), u.cachedOrZero(), u.outputOrZero());
      }

      void record(Usage u, double cost, long lat, String outcome, Integer status) {
        metrics.attempt(t.providerName(), t.model(), task, outcome, lat, streaming);
        if (u != null) metrics.tokens(t.providerName(), t.model(), task, u.inputTokens(), u.outputTokens());
        metrics.cost(t.providerName(), t.model(), task, cost);
        try {
          usageSink.record(new UsageRecord(Instant.now(), requestId, req.apiKeyId(), task, t.providerName(), t.model(),
              u == null ? null : u.inputTokens(), u == null ? null : u.cachedInputTokens(), u == null ? null : u.outputTokens(),
              cost, lat, outcome, status, streaming));
        } catch (RuntimeException ex) {
          log.warn("usage sink failed for request {}", requestId, ex);
        }
      }

      LlmException toLlm(Throwable c) {
        if (c instanceof LlmException le) {
          return le.provider() == null ? le.toBuilder().provider(t.providerName()).model(t.model()).build() : le;
        }
        ErrorKind k = c instanceof java.net.ConnectException || c instanceof java.io.IOException ? ErrorKind.UNAVAILABLE : ErrorKind.UPSTREAM_ERROR;
        return LlmException.builder(k, t + " failed: " + c).cause(c).provider(t.providerName()).model(t.model()).build();
      }
    }
  }
}
