package dev.salesagent.server.routing;

import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamObserver;

/** One dialect's SSE writer for a routed stream: the events as they come, then how the stream ended. */
public interface RoutedSse extends StreamObserver {
  void finish(RoutedResponse r);

  void fail(Throwable t);
}
