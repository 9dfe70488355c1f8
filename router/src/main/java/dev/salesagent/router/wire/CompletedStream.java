package dev.salesagent.router.wire;

import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.provider.ChatStream;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/** A stream that is already over: the upstream answered a streaming request with one JSON document. */
final class CompletedStream implements ChatStream {
  private final Future<ChatResponse> result;

  private CompletedStream(ChatResponse r) {
    this.result = Future.succeededFuture(r);
  }

  /** Hands the whole answer to {@code events} as a stream would have (reasoning, text, tool calls) and ends. */
  static ChatStream replay(ChatResponse r, Handler<StreamEvent> events) {
    if (r.reasoning() != null) events.handle(new StreamEvent.ReasoningDelta(r.reasoning()));
    if (r.reasoningSignature() != null) events.handle(new StreamEvent.ReasoningSignature(r.reasoningSignature()));
    if (!r.text().isEmpty()) events.handle(new StreamEvent.TextDelta(r.text()));
    for (int i = 0; i < r.toolCalls().size(); i++) {
      var tc = r.toolCalls().get(i);
      events.handle(new StreamEvent.ToolCallDelta(i, tc.id(), tc.name(), tc.argumentsJson()));
    }
    return new CompletedStream(r);
  }

  @Override public Future<ChatResponse> result() { return result; }
  @Override public ChatStream pause() { return this; }
  @Override public ChatStream resume() { return this; }
  @Override public void cancel() { }
}
