package dev.salesagent.emulator;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers a parsed chat request: a fault reply, a hung or reset connection, or the {@link Answer} — whole after the
 * latency of all its tokens, or streamed piece by piece (first-token delay, then inter-token delay) — with the
 * body-level faults (cut, stall, malformed frame, in-stream error) applied half-way.
 */
final class ChatResponder {
  private final EmulatorOptions options;
  private final PendingTimers timers;
  private final PromptCache cache;

  ChatResponder(EmulatorOptions options, PendingTimers timers, PromptCache cache) {
    this.options = options;
    this.timers = timers;
    this.cache = cache;
  }

  /** @param warmUp the start-up self-request: answered without the configured delays, so a start never waits for them */
  void respond(Protocol p, HttpServerRequest req, IncomingChat r, Fault fault, int retryAfter, boolean warmUp) {
    if (fault != null) {
      switch (fault) {
        case RESET -> {
          req.connection().close();
          return;
        }
        case TIMEOUT -> {
          return; // never answer; the connection stays open until the client or close() ends it
        }
        case STREAM_CUT, STREAM_STALL, MALFORMED -> {
          // body-level faults: handled below
        }
        case STREAM_ERROR -> {
          if (!r.stream) {
            Replies.send(req, p, p.faultReply(fault, r, retryAfter));
            return;
          }
        }
        default -> {
          Replies.send(req, p, p.faultReply(fault, r, retryAfter));
          return;
        }
      }
    }
    if (!r.cacheBreakpoints.isEmpty()) r.cache = cache.use(r.cacheBreakpoints); // only answered requests fill the cache
    Answer a = Answer.of(r);
    long firstTokenMs = warmUp ? 0 : options.firstTokenDelayMs();
    long interTokenMs = warmUp ? 0 : options.interTokenDelayMs();
    if (r.stream) stream(p, req, r, a, fault, firstTokenMs, interTokenMs);
    else whole(p, req, r, a, fault, firstTokenMs, interTokenMs);
  }

  private void whole(Protocol p, HttpServerRequest req, IncomingChat r, Answer a, Fault fault, long firstTokenMs, long interTokenMs) {
    long delay = firstTokenMs + interTokenMs * Math.max(0, a.outputTokens() - 1);
    Protocol.Reply ok = p.ok(r, a);
    timers.later(delay, () -> {
      HttpServerResponse res = req.response();
      if (res.closed()) return;
      if (fault == null) {
        Replies.send(req, p, ok);
        return;
      }
      Buffer body = ok.body();
      Buffer half = body.slice(0, body.length() / 2);
      switch (fault) {
        case MALFORMED -> Replies.send(req, p, new Protocol.Reply(200, ok.headers(), half.copy()));
        case STREAM_CUT, STREAM_STALL -> {
          res.setStatusCode(200);
          Replies.headers(res, p, ok.headers());
          res.putHeader("content-length", Integer.toString(body.length()));
          Future<Void> w = res.write(half.copy());
          if (fault == Fault.STREAM_CUT) w.onComplete(x -> req.connection().close());
        }
        default -> Replies.send(req, p, ok);
      }
    });
  }

  private void stream(Protocol p, HttpServerRequest req, IncomingChat r, Answer a, Fault fault, long firstTokenMs, long interTokenMs) {
    Protocol.Frames f = p.frames(r, a);
    HttpServerResponse res = req.response();
    res.setStatusCode(200);
    res.putHeader("content-type", p.streamContentType());
    res.putHeader("cache-control", "no-cache");
    List<String[]> common = new ArrayList<>(1);
    p.commonHeaders(common);
    for (String[] h : common) res.putHeader(h[0], h[1]);
    res.setChunked(true);
    int n = f.pieces().size();
    int cut = fault == null ? -1 : n / 2;
    if (firstTokenMs <= 0 && interTokenMs <= 0) {
      Buffer all = Buffer.buffer(f.head().length() + n * 128 + f.tail().length());
      all.appendBuffer(f.head());
      for (int i = 0; i < n; i++) {
        if (i == cut) {
          if (fault == Fault.MALFORMED) {
            all.appendBuffer(p.malformedFrame());
          } else {
            finishFault(p, req, all, fault);
            return;
          }
        }
        all.appendBuffer(f.pieces().get(i));
      }
      if (cut == n && fault != Fault.MALFORMED) { // no pieces at all
        finishFault(p, req, all, fault);
        return;
      }
      if (cut == n) all.appendBuffer(p.malformedFrame());
      all.appendBuffer(f.tail());
      res.end(all);
      return;
    }
    if (f.head().length() > 0) res.write(f.head());
    else res.writeHead();
    new Streamer(p, req, f, fault, cut, interTokenMs).schedule(0, firstTokenMs);
  }

  /** Ends a stream at the cut point according to the fault; {@code soFar} holds everything not yet written. */
  private void finishFault(Protocol p, HttpServerRequest req, Buffer soFar, Fault fault) {
    HttpServerResponse res = req.response();
    switch (fault) {
      case STREAM_CUT -> {
        Future<Void> w = soFar.length() > 0 ? res.write(soFar) : (res.headWritten() ? Future.succeededFuture() : res.writeHead());
        w.onComplete(x -> req.connection().close());
      }
      case STREAM_STALL -> {
        if (soFar.length() > 0) res.write(soFar);
        else if (!res.headWritten()) res.writeHead();
      }
      case STREAM_ERROR -> res.end(soFar.appendBuffer(p.streamErrorFrame()));
      default -> res.end(soFar);
    }
  }

  private final class Streamer {
    final Protocol p;
    final HttpServerRequest req;
    final Protocol.Frames f;
    final Fault fault;
    final int cut;
    final long interTokenMs;

    Streamer(Protocol p, HttpServerRequest req, Protocol.Frames f, Fault fault, int cut, long interTokenMs) {
      this.p = p;
      this.req = req;
      this.f = f;
      this.fault = fault;
      this.cut = cut;
      this.interTokenMs = interTokenMs;
    }

    void schedule(int i, long delay) {
      timers.later(delay, () -> step(i));
    }

    void step(int i) {
      HttpServerResponse res = req.response();
      if (res.closed() || timers.closed()) return;
      int n = f.pieces().size();
      if (i == cut) {
        if (fault == Fault.MALFORMED) {
          res.write(p.malformedFrame());
        } else {
          finishFault(p, req, Buffer.buffer(), fault);
          return;
        }
      }
      if (i >= n) {
        res.end(f.tail());
        return;
      }
      res.write(f.pieces().get(i));
      schedule(i + 1, interTokenMs);
    }
  }
}
