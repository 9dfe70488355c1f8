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
}
