package dev.salesagent.server.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads request bodies with bounded memory: only once the caller is admitted ({@link #readAfter}: a request without a
 * valid key never has its body buffered), incrementally up to the request's limit (never pre-allocated from
 * {@code content-length}, which the client chooses), and within one budget for every body being received in this JVM
 * (the heap it protects is per JVM). Over the limit: 413; over the budget: 503 {@code overloaded} with
 * {@code retry-after}. A request answered before its body was read ({@link #abandon}) is told {@code connection: close},
 * and the rest of its body is discarded — never buffered — for at most {@value #LINGER_MS} ms, then the connection
 * closes, so a refused upload is not read to its end.
 */
public final class Bodies {
  /** How long the rest of an abandoned body is discarded before the connection closes (lets the client read the answer). */
  static final int LINGER_MS = 1_000;
  /** Largest buffer allocated up front from a declared length. */
  private static final int INITIAL_MAX = 64 * 1024;
  private static final AtomicLong buffered = new AtomicLong();
  private static volatile long globalLimit = Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);

  private Bodies() {}

  /** The most request-body bytes buffered at once in this JVM (default: a quarter of the max heap, at least 64 MiB). */
  public static void globalLimit(long bytes) {
    globalLimit = Math.max(1, bytes);
  }

  public static long globalLimit() { return globalLimit; }

  /** Request-body bytes buffered right now. */
  public static long buffered() { return buffered.get(); }

  /**
   * Reads the body once {@code gate} has succeeded; until then the request is paused, so a refused request never has
   * its body buffered (Vert.x stops reading the socket after a few chunks). A gate already decided (an authentication
   * answered from memory, the usual case) costs no pause.
   */
  public static <T> Future<Buffer> readAfter(Future<T> gate, HttpServerRequest req, int limit) {
    if (gate.succeeded()) return read(req, limit); // same event-loop turn: no body chunk has been delivered yet
    if (gate.failed()) return Future.failedFuture(gate.cause());
    req.pause();
    return gate.compose(x -> {
      Future<Buffer> f = read(req, limit);
      req.resume();
      return f;
    });
  }

  /** Reads the whole body, failing with 413 past {@code limit} and 503 past the JVM-wide budget. */
  public static Future<Buffer> read(HttpServerRequest req, int limit) {
    String cl = req.getHeader("content-length");
    long declared = -1;
    if (cl != null) {
      try {
        declared = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        return Future.failedFuture(ApiException.invalid(null, "content-length is not a number"));
      }
      if (declared < 0) return Future.failedFuture(ApiException.invalid(null, "content-length is negative"));
      if (declared > limit) return Future.failedFuture(new ApiException(tooLarge(limit)));
    }
    if (req.isEnded()) return Future.succeededFuture(Buffer.buffer(0));
    // Expect: 100-continue is answered here, once the caller was admitted, not by Vert.x on arrival
    String expect = req.getHeader("expect");
    if (expect != null && expect.equalsIgnoreCase("100-continue")) req.response().writeContinue();
    Reader r = new Reader(limit, declared < 0 ? 1024 : (int) Math.min(declared, INITIAL_MAX));
    req.handler(r);
    req.endHandler(v -> r.end());
    req.exceptionHandler(r::fail);
    return r.promise.future();
  }

  /**
   * Call before answering a request whose body has not been read to its end (an early 401, 403, 413, 429 …): the
   * answer says {@code connection: close}, the rest of the body is discarded for at most {@value #LINGER_MS} ms, then
   * the connection is closed. Does nothing when the body was read.
   */
  public static void abandon(HttpServerRequest req) {
    if (req.isEnded() || !hasBody(req) || req.response().headWritten()) return; // nothing unread, or too late to say
    req.response().putHeader("connection", "close");
    Context ctx = Vertx.currentContext();
    HttpConnection conn = req.connection();
    if (ctx == null || conn == null) return;
    req.handler(b -> { }); // discard, never buffer
    req.exceptionHandler(t -> { });
    req.endHandler(v -> { });
    req.resume();
    // Closed by a timer, not at the body's end: a close right after the answer could overtake its bytes.
    ctx.owner().setTimer(LINGER_MS, id -> conn.close());
  }

  /** The request announces a body (a non-zero length, or chunks). */
  private static boolean hasBody(HttpServerRequest req) {
    String cl = req.getHeader("content-length");
    if (cl != null) return !cl.trim().equals("0");
    return req.getHeader("transfer-encoding") != null;
  }

  private static ApiError tooLarge(int limit) {
    return ApiError.tooLarge("request body is larger than the limit of " + limit + " bytes: send fewer or shorter messages");
  }

  private static ApiError overloaded() {
    return new ApiError(503, "overloaded", "the gateway is receiving too many request bodies at once: retry shortly",
        null, 1L, null);
  }

  /** Appends chunks while they fit; holds its share of the JVM-wide budget until the body ends or fails. */
  private static final class Reader implements Handler<Buffer> {
    final Promise<Buffer> promise = Promise.promise();
    private final int limit;
    private final Buffer body;
    private long held;
    private boolean done;

    Reader(int limit, int initial) {
      this.limit = limit;
      this.body = Buffer.buffer(initial);
    }

    @Override
    public void handle(Buffer chunk) {
      if (done) return;
      int n = chunk.length();
      if (body.length() + n > limit) {
        fail(new ApiException(tooLarge(limit)));
        return;
      }
      if (buffered.addAndGet(n) > globalLimit) {
        buffered.addAndGet(-n);
        fail(new ApiException(overloaded()));
        return;
      }
      held += n;
      body.appendBuffer(chunk);
    }

    void end() {
      if (done) return;
      release();
      promise.tryComplete(body);
    }

    void fail(Throwable t) {
      if (done) return;
      release();
      promise.tryFail(t);
    }

    private void release() {
      done = true;
      if (held > 0) buffered.addAndGet(-held);
      held = 0;
    }
  }
}
