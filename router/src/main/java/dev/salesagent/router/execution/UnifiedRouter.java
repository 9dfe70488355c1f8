package dev.salesagent.router.execution;

import dev.salesagent.router.classify.TaskClassifier;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.metrics.RouterMetrics;
import dev.salesagent.router.resilience.Backoff;
import dev.salesagent.router.routing.EmbeddingCall;
import dev.salesagent.router.routing.EmbeddingRouteRequest;
import dev.salesagent.router.routing.LlmRouter;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedCall;
import dev.salesagent.router.routing.RoutedEmbeddings;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.routing.UsageSink;
import dev.salesagent.router.strategy.RoutePlan;
import dev.salesagent.router.tokens.TokenEstimator;
import dev.salesagent.router.trace.Tracing;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The unified router: resolves the task (classifying when none is given), plans with the request's strategy, then
 * executes the plan under one deadline — per target a circuit-breaker permit, the provider's bulkhead and client-side
 * RPM/TPM limits, a budget reservation, the call, retries of retryable kinds with full-jitter backoff (Retry-After
 * honoured, never past the deadline), and fallback on fallbackable kinds. Streams fail over freely until content
 * reached the observer; after that a cut or stalled stream is continued on the next target that can continue
 * (assistant prefill), or the request fails with {@code interrupted}. Every attempt is recorded, metered and reported
 * to the {@link UsageSink}.
 *
 * <p>Planning is {@link RequestPlanner}; one request's execution is {@link RequestExecution}, its calls
 * {@link TargetAttempt}s, what each holds {@link AttemptPermits}, its stream {@link StreamRelay}, its record
 * {@link AttemptLedger}.
 */
public final class UnifiedRouter implements LlmRouter {
  private final Vertx vertx;
  private final RouterServices services;
  private final RequestPlanner planner;
  private volatile Context callerContext;
  /** Where attempts' spans go; {@link Tracing#OFF} unless the app configured tracing. */
  private volatile Tracing tracing = Tracing.OFF;

  /** @param classifier picks the task of a request that names none (see {@link TaskClassifier#fromConfig}) */
  public UnifiedRouter(Vertx vertx, LiveState state, RouterMetrics metrics, UsageSink usageSink, TaskClassifier classifier) {
    RouterConfig config = state.config();
    TokenEstimator tokens = TokenEstimator.defaultEstimator();
    this.vertx = vertx;
    this.services = new RouterServices(vertx, state, config, metrics, usageSink == null ? UsageSink.NONE : usageSink,
        state.budgets(), tokens, new Backoff(config.resilience().backoffInitialMs(), config.resilience().backoffMaxMs()));
    this.planner = new RequestPlanner(state, tokens, classifier);
  }

  @Override
  public Future<RoutedResponse> chat(RouteRequest request) {
    return execute(request, null).result();
  }

  @Override
  public Future<RoutedResponse> stream(RouteRequest request, StreamObserver observer) {
    return startStream(request, observer).result();
  }

  /** The handle is the request's own execution: cancellation costs nothing until it is used. */
  @Override
  public RoutedCall startChat(RouteRequest request) {
    return execute(request, null);
  }

  @Override
  public RoutedCall startStream(RouteRequest request, StreamObserver observer) {
    if (observer == null) throw new NullPointerException("observer");
    return execute(request, observer);
  }

  /** Embeddings: planned with {@link RequestPlanner#planEmbedding}, then executed like a non-streaming chat call. */
  @Override
  public Future<RoutedEmbeddings> embed(EmbeddingRouteRequest request) {
    return startEmbed(request).result();
  }

  /** The handle is the request's own execution, as for {@link #startChat}. */
  @Override
  public EmbeddingCall startEmbed(EmbeddingRouteRequest request) {
    long startNanos = System.nanoTime();
    RequestExecution run;
    try {
      PlannedRequest planned = planner.planEmbedding(request);
      run = new RequestExecution(services, request, planned,
          Deadline.of(startNanos, services.config().resilience().timeouts().totalMs()), tracing.request());
    } catch (LlmException e) {
      LlmException enriched = e.toBuilder().requestId(request.requestId())
          .task(e.task() != null ? e.task() : request.task()).build();
      services.metrics().request(null, null, enriched.task(), request.strategy(), e.kind().wire());
      return EmbeddingCall.of(Future.failedFuture(enriched));
    }
    start(run);
    RequestExecution execution = run;
    return new EmbeddingCall() {
      @Override public Future<RoutedEmbeddings> result() { return execution.embeddings(); }
      @Override public void cancel() { execution.cancel(); }
    };
  }

  /** Reports requests and attempts to {@code t} from now on (wired once by the app, before traffic). */
  public void traceWith(Tracing t) {
    this.tracing = t == null ? Tracing.OFF : t;
  }

  /** Resolves and plans without calling anything (used by {@code explain} views and tests). */
  public RoutePlan plan(RouteRequest request) {
    return planner.plan(request, false).plan();
  }

  private RoutedCall execute(RouteRequest request, StreamObserver observer) {
    long startNanos = System.nanoTime();
    RequestExecution run;
    try {
      PlannedRequest planned = planner.plan(request, observer != null);
      run = new RequestExecution(services, request, planned, observer,
          Deadline.of(startNanos, services.config().resilience().timeouts().totalMs()), tracing.request());
    } catch (LlmException e) {
      LlmException enriched = e.toBuilder().requestId(request.requestId())
          .task(e.task() != null ? e.task() : request.task()).build();
      services.metrics().request(null, null, enriched.task(), request.strategy(), e.kind().wire());
      return RoutedCall.of(Future.failedFuture(enriched));
    }
    start(run);
    return run;
  }

  private void start(RequestExecution run) {
    Context ctx = Vertx.currentContext();
    if (ctx != null) {
      run.start();
    } else {
      // callers off Vert.x (CLI, batch threads) share one context: its connections and timers stay on one event
      // loop, so a call costs the same thread hops as a direct adapter call
      callerContext().runOnContext(v -> run.start());
    }
  }

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
}
