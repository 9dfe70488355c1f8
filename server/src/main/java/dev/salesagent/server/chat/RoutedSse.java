package dev.salesagent.server.chat;

import dev.salesagent.router.routing.RoutedCall;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamObserver;

/** One dialect's SSE writer for a routed stream: the events as they come, then how the stream ended. */
public interface RoutedSse extends StreamObserver {
  /**
   * The routed call this stream writes, handed over as soon as it started: a client that goes away cancels it then,
   * not only once the first content arrived (a slow first token, a backoff or a fallback would keep the upstream
   * call, its bulkhead slot and its budget reservation alive for nobody).
   */
  void bind(RoutedCall call);

  void finish(RoutedResponse r);

  void fail(Throwable t);
}
