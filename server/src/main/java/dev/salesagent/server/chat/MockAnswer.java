package dev.salesagent.server.chat;

import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.FinishReason;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.routing.LlmRouter;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamControl;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.routing.Target;
import io.vertx.core.Future;
import java.util.List;

/**
 * The answer to a request that carries LiteLLM's {@code mock_response}: that text, as if a provider named {@code mock}
 * had said it — no provider called, no budget reserved, nothing charged, usage {@code null} (none was reported), no
 * attempt. Streaming gives the same text as one content event, so the dialect writers are the ordinary ones.
 */
public final class MockAnswer implements LlmRouter {
  public static final String PROVIDER = "mock";
  private static final StreamControl NO_UPSTREAM = new StreamControl() {
    @Override
    public void pause() { /* nothing is read from upstream */ }

    @Override
    public void resume() { /* nothing is read from upstream */ }
  };

  private final String text;
  private final String model;

  public MockAnswer(String text, String model) {
    this.text = text;
    this.model = model;
  }

  private RoutedResponse response(RouteRequest r) {
    ChatResponse c = new ChatResponse(null, PROVIDER, model, text, null, List.of(), FinishReason.STOP, "stop",
        Usage.UNKNOWN, 0, null);
    return new RoutedResponse(r.requestId(), c, null, null, 0, List.of());
  }

  @Override
  public Future<RoutedResponse> chat(RouteRequest request) {
    return Future.succeededFuture(response(request));
  }

  @Override
  public Future<RoutedResponse> stream(RouteRequest request, StreamObserver observer) {
    observer.onStart(new Target(PROVIDER, model), NO_UPSTREAM);
    if (!text.isEmpty()) observer.onEvent(new StreamEvent.TextDelta(text));
    return Future.succeededFuture(response(request));
  }
}
