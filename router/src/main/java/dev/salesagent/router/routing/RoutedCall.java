package dev.salesagent.router.routing;

import io.vertx.core.Future;

/**
 * A routed call in flight, from the moment it was started: its outcome, and a way to stop it however far it got —
 * waiting for admission or a budget reservation, calling a target, backing off before a retry, falling back, or
 * streaming. See {@link LlmRouter#startChat} and {@link LlmRouter#startStream}.
 */
public interface RoutedCall {

  /** Completes like {@link LlmRouter#chat} / {@link LlmRouter#stream}; fails with kind {@code interrupted} after {@link #cancel()}. */
  Future<RoutedResponse> result();

  /**
   * The caller is gone (its HTTP client disconnected, say): stops the attempt in flight (its upstream connection is
   * closed), any retry, backoff, fallback or continuation still to come, gives back the bulkhead slot and settles the
   * budget reservation by the router's charging rule. {@link #result()} then fails with kind {@code interrupted} and
   * providerErrorType {@code cancelled}; the attempt is recorded (outcome {@code interrupted}) but not held against
   * the provider's circuit or health. Idempotent, safe from any thread, a no-op once the call ended.
   */
  void cancel();

  /** A call that cannot be stopped early: what a router without cancellation support returns. */
  static RoutedCall of(Future<RoutedResponse> result) {
    return new RoutedCall() {
      @Override
      public Future<RoutedResponse> result() {
        return result;
      }

      @Override
      public void cancel() {
        // nothing to stop: the router behind it offers no cancellation
      }
    };
  }
}
