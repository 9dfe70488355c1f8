package dev.salesagent.router.routing;

/** Backpressure on a routed stream, and its cancellation. */
public interface StreamControl {
  void pause();

  void resume();

  /**
   * The caller is gone (its client disconnected, say): stops the current upstream call and any continuation, retry or
   * fallback still to come. The routed future then fails with kind {@code interrupted} and providerErrorType
   * {@code cancelled} ("cancelled by the caller"); the attempt is recorded like any other (outcome {@code interrupted},
   * charged what was reported, or an estimate flagged as such) but not held against the provider's circuit or health.
   * {@link RoutedCall#cancel()} does the same from before the first content. No event reaches the
   * observer after this call. Safe from any thread; a no-op once the request ended.
   */
  default void cancel() {}
}
