package dev.salesagent.router.routing;

import io.vertx.core.Future;

/**
 * The router's public face. Plans targets for a request, executes the plan with retries, circuit breakers, fallbacks
 * and one deadline, and reports every attempt. Failures are {@link dev.salesagent.router.error.LlmException}s.
 */
public interface LlmRouter {

  /** A non-streaming routed call. */
  Future<RoutedResponse> chat(RouteRequest request);

  /**
   * A streaming routed call. Content goes to {@code observer} as it arrives; the future completes with the whole
   * answer once the stream ended well, or fails — after content was delivered only when no continuation could
   * rescue the stream.
   */
  Future<RoutedResponse> stream(RouteRequest request, StreamObserver observer);

  /**
   * {@link #chat}, with a handle that can cancel the call at any time (a client that disconnected, say). The default
   * cannot cancel: routers that can (the unified router) override it.
   */
  default RoutedCall startChat(RouteRequest request) {
    return RoutedCall.of(chat(request));
  }

  /**
   * {@link #stream}, with a handle that can cancel the call from the moment it starts — before any content, while the
   * router waits for a first token, backs off or falls over — not only from {@link StreamObserver#onStart}.
   */
  default RoutedCall startStream(RouteRequest request, StreamObserver observer) {
    return RoutedCall.of(stream(request, observer));
  }

  /**
   * Embeddings, routed like a non-streaming chat call (plan, permits, retries, fallback, budgets, ledger). Routers
   * without embeddings (test doubles) refuse with {@code invalid_request}.
   */
  default Future<RoutedEmbeddings> embed(EmbeddingRouteRequest request) {
    return Future.failedFuture(dev.salesagent.router.error.LlmException.builder(
        dev.salesagent.router.error.ErrorKind.INVALID_REQUEST, "this router does not serve embeddings").build());
  }

  /** {@link #embed}, with a handle that can cancel the call (a client that disconnected). The default cannot cancel. */
  default EmbeddingCall startEmbed(EmbeddingRouteRequest request) {
    return EmbeddingCall.of(embed(request));
  }
}
