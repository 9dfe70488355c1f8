package dev.salesagent.router.provider;

import dev.salesagent.router.model.ChatResponse;
import io.vertx.core.Future;

/**
 * A live streaming call. Pausing stops reading from the socket, so a slow consumer pushes back on the upstream
 * instead of buffering.
 */
public interface ChatStream {

  /**
   * Completes with the whole answer (text, finish reason, usage) when the stream reached its terminator — or, for a
   * stream properly closed without a {@code [DONE]} sentinel, at once with what it carried. Fails with an
   * {@link dev.salesagent.router.error.LlmException}: {@code interrupted} for a cut or stalled stream, or the kind
   * of an in-stream error event; the usage reported so far rides on it as {@code partialUsage}.
   */
  Future<ChatResponse> result();

  ChatStream pause();

  ChatStream resume();

  /** Stops the call and releases the connection; {@link #result()} fails with {@code interrupted} if still open. */
  void cancel();
}
