package dev.salesagent.router.execution;

import dev.salesagent.router.embedding.EmbeddingRequest;
import dev.salesagent.router.embedding.EmbeddingResponse;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.provider.AbortHook;
import dev.salesagent.router.provider.CallContext;
import dev.salesagent.router.provider.ChatStream;
import dev.salesagent.router.provider.Timeouts;
import dev.salesagent.router.strategy.TargetRef;
import dev.salesagent.router.trace.AttemptTrace;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/**
 * One call to one target, plain or streaming, holding the {@link AttemptPermits} it was admitted with. It ends exactly
 * once — answer, failure (the adapter's own timeouts included: they live in the wire layer, nowhere else), or the
 * caller's cancel — then records itself in the {@link AttemptLedger}, which settles its permits with the outcome and
 * its cost, and reports to its {@link AttemptListener}.
 */
final class TargetAttempt implements AbortHook {
  private final AttemptScope scope;
  private final AttemptPermits permits;
  private final int retryNo;
  private final AttemptListener listener;
  private final TargetRef t;
  private final StreamRelay relay;
  private final CallContext callContext;
  /** This attempt's span ({@link AttemptTrace#NONE} when tracing is off), ended with the attempt. */
  private AttemptTrace trace = AttemptTrace.NONE;
  private final long sent = System.nanoTime();
  private boolean done;
  private boolean continuing;
  private boolean gotContent;
  private boolean wsChecked;
  private Long ttftMs;
  private ChatStream stream;
  /** Set when the caller cancelled: whatever the stream's result, the attempt ends with this (and the usage so far). */
  private LlmException cancelError;
  /** What stops the request before a stream is open (the adapter's {@link AbortHook}); null until it went upstream. */
  private Runnable upstreamAbort;
  /** The request went upstream on a connection (the adapter said so through the hook). */
  private boolean wentUpstream;
  /** The upstream answered 2xx and its stream opened: it accepted the request and bills it. */
  private boolean opened;
  /** Where this attempt's text starts in the relay's delivered text. */
  private int relayFrom;
  /** Reasoning and tool-call characters this attempt received (text is in the relay). */
  private int otherChars;

  TargetAttempt(AttemptScope scope, AttemptPermits permits, int retryNo, AttemptListener listener) {
    this.scope = scope;
    this.permits = permits;
    this.retryNo = retryNo;
    this.listener = listener;
    this.t = permits.target();
    this.relay = scope.relay();
    Timeouts timeouts = permits.provider().config.settings().timeouts();
    this.callContext = new CallContext(scope.requestId(), scope.deadline().atNanos(), timeouts.firstTokenMs(),
        timeouts.idleMs(), this);
  }

  private void traced(String operation) {
    trace = scope.trace().attempt(operation, t.providerName(), t.model(), scope.task(), scope.streaming());
  }

  TargetRef target() { return t; }

  int retryNo() { return retryNo; }

  boolean isDone() { return done; }

  /** The adapter put the request on a connection: {@code abort} stops it until there is a stream to cancel. */
  @Override
  public void sent(Runnable abort) {
    if (done) { // abandoned while the connection was being found: the request must not go out
      abort.run();
      return;
    }
    wentUpstream = true;
    upstreamAbort = abort;
  }

  /** Stops a request that has no stream yet (a non-streaming call, or one waiting for response headers). */
  private void abortUpstream() {
    Runnable r = upstreamAbort;
    upstreamAbort = null;
    if (r != null && stream == null) r.run();
  }

  void call(ChatRequest chat) {
    traced("chat");
    Future<ChatResponse> f;
    try {
      f = permits.provider().adapter.chat(t.model(), chat, callContext);
    } catch (RuntimeException ex) {
      f = Future.failedFuture(ex);
    }
    f.onComplete(ar -> {
      if (ar.succeeded()) succeeded(ar.result());
      else failed(ar.cause());
    });
  }

  /** An embeddings call: non-streaming, settled like {@link #call} (its answer has no output to estimate). */
  void embed(EmbeddingRequest request) {
    traced("embeddings");
    Future<EmbeddingResponse> f;
    try {
      f = permits.provider().adapter.embed(t.model(), request, callContext);
    } catch (RuntimeException ex) {
      f = Future.failedFuture(ex);
    }
    f.onComplete(ar -> {
      if (ar.succeeded()) embedded(ar.result());
      else failed(ar.cause());
    });
  }

  /** {@code continuing}: {@code chat} carries delivered text as prefill, and this stream picks up where it ended. */
  void stream(ChatRequest chat, boolean continuing) {
    traced("chat");
    this.continuing = continuing;
    this.relayFrom = relay.deliveredChars();
    Future<ChatStream> f;
    try {
      f = permits.provider().adapter.stream(t.model(), chat, callContext, this::onEvent);
    } catch (RuntimeException ex) {
      f = Future.failedFuture(ex);
    }
    f.onComplete(ar -> {
      if (ar.failed()) {
        failed(ar.cause());
        return;
      }
      ChatStream s = ar.result();
      opened = true;
      if (done) {
        s.cancel();
        return;
      }
      stream = s;
      relay.attach(s);
      s.result().onComplete(rr -> {
        if (cancelError != null) cancelledWith(rr.succeeded() ? rr.result().usage() : partialUsage(rr.cause()));
        else if (rr.succeeded()) succeeded(rr.result());
        else failed(rr.cause());
      });
    });
  }

  /**
   * The caller cancelled the request. The upstream stream is cancelled and the attempt settles on its result, which
   * carries the usage reported so far — at once when the stream settled synchronously, else when its result arrives
   * ({@link ChatStream#cancel()} settles it: the adapter timeout contract test holds every adapter to that). Before
   * the stream is open — a non-streaming call, or a stream waiting for its headers — the request is aborted (its
   * connection closed) and the attempt settles now with no usage; a stream that opens after all is cancelled at once.
   */
  void cancel(LlmException e) {
    if (done) return;
    cancelError = e;
    ChatStream s = stream;
    if (s == null) {
      abortUpstream();
      failed(e);
      return;
    }
    try {
      s.cancel();
    } catch (RuntimeException ignore) {
      // settled below either way
    }
    Future<ChatResponse> r = s.result();
    if (r.isComplete()) cancelledWith(r.succeeded() ? r.result().usage() : partialUsage(r.cause()));
    // else the stream's result handler (see stream()) settles the attempt when the cancelled result arrives
  }

  private void cancelledWith(Usage u) {
    if (done) return;
    failed(u == null || !u.isKnown() ? cancelError : cancelError.toBuilder().partialUsage(u).build());
  }

  private static Usage partialUsage(Throwable c) {
    return c instanceof LlmException le ? le.partialUsage() : Usage.UNKNOWN;
  }

  private void onEvent(StreamEvent ev) {
    // after a cancel nothing more is delivered; the relay also drops events once its observer cancelled
    if (done || cancelError != null) return;
    if (ev instanceof StreamEvent.TextDelta td) {
      String text = td.text();
      if (text == null || text.isEmpty()) return;
      if (continuing && !wsChecked) {
        wsChecked = true;
        text = relay.dropRepeatedWhitespace(text);
        if (text.isEmpty()) return;
        ev = new StreamEvent.TextDelta(text);
      }
    } else if (ev instanceof StreamEvent.ReasoningDelta rd) {
      if (rd.text() == null || rd.text().isEmpty()) return;
      otherChars += rd.text().length();
    } else if (ev instanceof StreamEvent.ReasoningSignature sig) {
      if (sig.signature() == null || sig.signature().isEmpty()) return;
    } else if (ev instanceof StreamEvent.ToolCallDelta tc) {
      otherChars += (tc.name() == null ? 0 : tc.name().length())
          + (tc.argumentsFragment() == null ? 0 : tc.argumentsFragment().length());
    } else if (ev == null) {
      return;
    }
    if (!gotContent) {
      gotContent = true;
      ttftMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      relay.firstContent(scope.deadline());
      scope.services().metrics().ttft(t.providerName(), t.model(), scope.task(), ttftMs);
    }
    relay.deliver(t, ev);
  }

  /** Output tokens this attempt received: its text by the project's tokenizer, reasoning and tool calls by length. */
  private int outputTokensSeen() {
    String text = scope.streaming() ? relay.deliveredSince(relayFrom) : "";
    return scope.services().tokens().count(text) + (otherChars + 3) / 4;
  }

  private long latencyMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
  }

  /** Ends the attempt: from here on nothing reaches it; its permits settle through the ledger's record of it. */
  private void end() {
    done = true;
    relay.detach(stream);
  }

  private void succeeded(ChatResponse resp) {
    if (done) return;
    end();
    boolean streaming = scope.streaming();
    scope.ledger().succeeded(permits, resp, latencyMs(), streaming ? ttftMs : null);
    trace.succeeded(resp.model(), resp.usage());
    if (streaming) {
      relay.segmentEnded(resp.usage());
      if (!relay.delivered() && !resp.text().isEmpty()) {
        // an adapter that finalised without emitting deltas: deliver the text as one fragment
        relay.deliver(t, new StreamEvent.TextDelta(resp.text()));
      }
    }
    listener.attemptSucceeded(this, resp);
  }

  private void embedded(EmbeddingResponse resp) {
    if (done) return;
    end();
    scope.ledger().succeeded(permits, resp.usage(), 0, latencyMs(), null);
    trace.succeeded(resp.model(), resp.usage());
    listener.attemptEmbedded(this, resp);
  }

  private void failed(Throwable cause) {
    if (done) return;
    end();
    long lat = latencyMs();
    LlmException e = toLlm(cause);
    // charged when the provider took the request: its stream opened, or we abandoned it once it had gone upstream
    boolean charged = opened || (wentUpstream && cancelError != null);
    if (cancelError != null) scope.ledger().cancelled(permits, e, lat, charged, this::outputTokensSeen);
    else scope.ledger().failed(permits, e, lat, charged, this::outputTokensSeen);
    trace.failed(e.kind().wire(), e.httpStatus(), e.partialUsage());
    if (scope.streaming() && gotContent) relay.segmentEnded(e.partialUsage());
    listener.attemptFailed(this, e);
  }

  /** Where this attempt stands, for {@link RequestExecution#toString()}: read on the request's context. */
  @Override
  public String toString() {
    String phase = done ? "ended"
        : cancelError != null ? "cancelled, waiting for its stream to settle"
        : stream != null ? "streaming"
        : opened ? "opened"
        : wentUpstream ? "sent, waiting for response headers"
        : "waiting for a connection";
    return t + " (retry " + retryNo + ", " + phase + (gotContent ? ", content received" : "") + ", started "
        + latencyMs() + " ms ago" + (stream != null ? ", " + stream : "") + ")";
  }

  private LlmException toLlm(Throwable c) {
    if (c instanceof LlmException le) {
      return le.provider() == null ? le.toBuilder().provider(t.providerName()).model(t.model()).build() : le;
    }
    ErrorKind k = c instanceof java.net.ConnectException || c instanceof java.io.IOException ? ErrorKind.UNAVAILABLE : ErrorKind.UPSTREAM_ERROR;
    return LlmException.builder(k, t + " failed: " + c).cause(c).provider(t.providerName()).model(t.model()).build();
  }
}
