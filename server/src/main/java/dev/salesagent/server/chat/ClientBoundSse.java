package dev.salesagent.server.chat;

import dev.salesagent.router.routing.RoutedCall;
import dev.salesagent.router.routing.StreamControl;
import dev.salesagent.router.routing.Target;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ClientExchange;
import dev.salesagent.server.http.SseOut;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * What every dialect's SSE writer shares: the coalescing writer, and the client's connection bound to the routed call
 * — a client that goes away cancels the call at whatever stage it is, since nobody reads the tokens we would keep
 * paying for (the router settles the budget from reported usage, else an estimate flagged as such, and records the
 * attempt as interrupted).
 */
public abstract class ClientBoundSse implements RoutedSse {
  protected final ClientExchange x;
  protected final HttpServerResponse resp;
  protected final SseOut out;
  private RoutedCall call;
  /** The connection closed before the response ended: the client is gone. */
  private boolean clientGone;

  protected ClientBoundSse(ClientExchange x) {
    this.x = x;
    this.resp = x.resp;
    this.out = new SseOut(x.resp);
    x.onClose(this::clientGone);
    clientGone = resp.closed(); // gone while the body was read: the close came before there was anyone to tell
  }

  /** Connection closed (client gone, or after the response ended, when cancelling is a no-op). */
  private void clientGone() {
    if (clientGone || resp.ended()) return;
    clientGone = true;
    resp.drainHandler(null);
    if (call != null) call.cancel();
  }

  @Override
  public final void bind(RoutedCall call) {
    this.call = call;
    if (clientGone) call.cancel(); // the client left while the body was read or before the call started
  }

  @Override
  public final void onStart(Target target, StreamControl control) {
    out.control(control);
    x.provider = target.provider();
    if (clientGone) { // gone before the first content: the router cancels the request as soon as it hears this
      control.cancel();
      return;
    }
    begin(target.provider(), target.model());
  }

  /** Status, headers and the dialect's opening events; once, whichever of start, event or finish comes first. */
  protected abstract void begin(String provider, String model);

  /** Whether {@link #begin} ran (the stream's head was written, unless the client had already gone). */
  protected abstract boolean started();

  /** Status 200 and the SSE headers, naming the provider that answers. */
  protected final void sseHead(String provider) {
    resp.setStatusCode(200).setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-sales-agent-provider", provider == null ? "" : provider);
  }

  /**
   * The stream failed: before the first byte, a plain error response in the dialect's shape with its status; after
   * it (the 200 is gone), the dialect's final error events, and nothing after them.
   */
  @Override
  public final void fail(Throwable t) {
    ApiError e = ApiError.from(t);
    x.errorCode = e.code();
    x.attempts = e.attempts().size();
    if (resp.closed() || resp.ended()) return; // the client is gone (it may be why the stream failed: cancelled)
    if (!started() || !resp.headWritten()) {
      errorResponse(e);
      return;
    }
    out.end(errorEvents(e));
  }

  /** A failure before the first byte, as the dialect's error response. */
  protected abstract void errorResponse(ApiError e);

  /** A failure after the first byte, as the dialect's closing error event(s). */
  protected abstract Buffer errorEvents(ApiError e);
}
