package dev.salesagent.router.wire;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.provider.ChatStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.util.concurrent.TimeUnit;

/**
 * A live streaming response. Reads go to the protocol's {@link StreamParser}, which emits content events in order
 * on the call's context. {@link #pause()}/{@link #resume()} pause the HTTP response itself, so a slow consumer stops
 * the socket reads (backpressure reaches the upstream through TCP); events already decoded from the current read are
 * still delivered. While paused the idle timer is suspended (our own pause is not upstream silence).
 *
 * <p>Outcomes: the parser's terminator → success at once; connection end → the parser decides (complete or
 * {@code interrupted}); connection error after headers → {@code interrupted}; no content within
 * {@code firstTokenMs} → {@code timeout}; silence past {@code idleMs} → {@code timeout} before the first content,
 * {@code interrupted} after; deadline → {@code timeout}; {@link #cancel()} → {@code interrupted}. A failed result
 * carries the usage reported so far as {@code partialUsage}; the connection is reset on failure.
 */
final class HttpChatStream implements ChatStream {
  private final HttpExchange x;
  private final HttpClientResponse resp;
  private final StreamParser parser;
  private final ChatAccumulator acc;
  private final Vertx vertx;
  private final Context context;
  private final Promise<ChatResponse> result = Promise.promise();
  private final long idleMs;
  private long lastReadNanos;
  private long idleTimer = -1;
  private long firstTimer = -1;
  private long deadlineTimer = -1;
  /** Armed when the terminator came before the body's end; cancelled at the end so a finished stream is not kept alive. */
  private long drainTimer = -1;
  private boolean paused;
  private boolean done;
  private boolean ended;
  private Long ttftMs;

  HttpChatStream(HttpExchange x, HttpClientResponse resp, StreamParser parser) {
    this.x = x;
    this.resp = resp;
    this.parser = parser;
    this.acc = parser.accumulator();
    this.vertx = x.vertx();
    this.context = x.context != null ? x.context : vertx.getOrCreateContext();
    this.idleMs = Math.max(1, x.ctx.idleMs());
  }

  void start() {
    lastReadNanos = System.nanoTime();
    resp.handler(this::onData);
    resp.endHandler(v -> onEnd());
    resp.exceptionHandler(this::onError);
    long sinceStart = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - x.startNanos);
    long firstWait = Math.max(1, x.ctx.firstTokenMs() - sinceStart);
    firstTimer = vertx.setTimer(firstWait, t -> {
      firstTimer = -1;
      if (!done && !acc.contentSeen()) {
        fail(WireFailure.of(ErrorKind.TIMEOUT, "first_token_timeout", "no content within " + x.ctx.firstTokenMs() + " ms"));
      }
    });
    deadlineTimer = vertx.setTimer(Math.max(1, x.ctx.remainingMs()), t -> {
      deadlineTimer = -1;
      if (!done) fail(WireFailure.of(ErrorKind.TIMEOUT, "deadline", "deadline passed mid-stream"));
    });
    armIdle(idleMs);
  }

  @Override
  public Future<ChatResponse> result() {
    return result.future();
  }

  @Override
  public ChatStream pause() {
    if (!onContext()) {
      context.runOnContext(v -> pause());
      return this;
    }
    if (!done && !paused) {
      paused = true;
      resp.pause();
      cancelTimer(idleTimer);
      idleTimer = -1;
    }
    return this;
  }

  @Override
  public ChatStream resume() {
    if (!onContext()) {
      context.runOnContext(v -> resume());
      return this;
    }
    if (paused) {
      paused = false;
      resp.resume();
      if (!done) {
        lastReadNanos = System.nanoTime();
        armIdle(idleMs);
      }
    }
    return this;
  }

  @Override
  public void cancel() {
    if (!onContext()) {
      context.runOnContext(v -> cancel());
      return;
    }
    if (!done) fail(WireFailure.of(ErrorKind.INTERRUPTED, "cancelled", "stream cancelled by the caller"));
  }

  private boolean onContext() {
    return Vertx.currentContext() == context;
  }

  private void onData(Buffer b) {
    if (done) return;
    lastReadNanos = System.nanoTime();
    try {
      parser.feed(b);
    } catch (RuntimeException e) { // the event handler threw: not the provider's fault, but the stream cannot go on
      acc.fail(WireFailure.of(ErrorKind.INTERRUPTED, "consumer_error", "stream event handler failed: " + e));
    }
    afterInput();
  }

  private void onEnd() {
    ended = true;
    cancelTimer(drainTimer);
    drainTimer = -1;
    if (done) return;
    parser.end();
    afterInput();
    if (!done) fail(WireFailure.truncated("stream ended"));
  }

  private void onError(Throwable t) {
    if (done) return;
    fail(HttpErrorMapper.fromTransport(t, true));
  }

  private void afterInput() {
    if (ttftMs == null && acc.contentSeen()) {
      ttftMs = TimeUnit.NANOSECONDS.toMillis(acc.firstContentNanos() - x.startNanos);
      cancelTimer(firstTimer);
      firstTimer = -1;
    }
    if (acc.finished()) finish();
  }

  private void fail(WireFailure f) {
    acc.fail(f);
    finish();
  }

  private void finish() {
    if (done) return;
    done = true;
    cancelTimer(idleTimer);
    cancelTimer(firstTimer);
    cancelTimer(deadlineTimer);
    WireFailure f = acc.failure();
    if (f != null) {
      result.tryFail(x.error(f, acc.usage()));
      x.reset();
    } else {
      result.tryComplete(acc.toResponse(x.provider(), x.model, x.elapsedMs(), ttftMs));
      if (paused) { // let the rest of the body drain so the connection can go back to the pool
        paused = false;
        resp.resume();
      }
      if (!ended) { // terminator seen but the body goes on: give it idleMs to end, then drop the connection
        drainTimer = vertx.setTimer(idleMs, t -> {
          drainTimer = -1;
          if (!ended) x.reset();
        });
      }
    }
  }

  /** The stream's state for a diagnostic (see {@code RequestExecution#toString()}): read on its context. */
  @Override
  public String toString() {
    Future<ChatResponse> r = result.future();
    return "stream " + (done ? "done" : "open") + ", result " + (!r.isComplete() ? "pending" : r.succeeded() ? "succeeded" : "failed")
        + (ended ? ", body ended" : "") + (paused ? ", paused" : "") + (acc.contentSeen() ? ", content seen" : ", no content yet")
        + ", last read " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastReadNanos) + " ms ago, timers"
        + (firstTimer >= 0 ? " first-token" : "") + (idleTimer >= 0 ? " idle" : "") + (deadlineTimer >= 0 ? " deadline" : "")
        + (firstTimer < 0 && idleTimer < 0 && deadlineTimer < 0 ? " none" : "");
  }

  private void armIdle(long delay) {
    idleTimer = vertx.setTimer(Math.max(1, delay), t -> {
      idleTimer = -1;
      if (done || paused) return;
      long silent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastReadNanos);
      if (silent + 1 < idleMs) {
        armIdle(idleMs - silent);
      } else if (acc.contentSeen()) {
        fail(WireFailure.of(ErrorKind.INTERRUPTED, "stream_stalled", "stream silent for " + silent + " ms"));
      } else {
        fail(WireFailure.of(ErrorKind.TIMEOUT, "stream_stalled", "no content and no bytes for " + silent + " ms"));
      }
    });
  }

  private void cancelTimer(long id) {
    if (id >= 0) vertx.cancelTimer(id);
  }
}
