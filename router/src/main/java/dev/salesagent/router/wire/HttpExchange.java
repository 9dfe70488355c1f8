package dev.salesagent.router.wire;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.provider.CallContext;
import dev.salesagent.router.provider.ProviderSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One HTTP exchange with a provider: its request, the timers up to the response headers and over a whole body, and
 * its error context. The timeouts of {@link HttpAdapterSupport} live here and in {@link HttpChatStream} only.
 */
final class HttpExchange {
  /** Largest non-streaming body read. */
  static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

  private final Vertx vertx;
  private final ProviderSettings settings;
  private final UpstreamClients clients;
  /** The protocol's auth and protocol headers. */
  private final Consumer<HttpClientRequest> headers;
  final String model;
  final CallContext ctx;
  final long startNanos;
  HttpClientRequest req;
  Context context;

  HttpExchange(Vertx vertx, ProviderSettings settings, UpstreamClients clients, Consumer<HttpClientRequest> headers,
               String model, CallContext ctx, long startNanos) {
    this.vertx = vertx;
    this.settings = settings;
    this.clients = clients;
    this.headers = headers;
    this.model = model;
    this.ctx = ctx;
    this.startNanos = startNanos;
  }

  long elapsedMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  Vertx vertx() {
    return vertx;
  }

  String provider() {
    return settings.name();
  }

  LlmException error(WireFailure f, Usage partial) {
    return f.toException(settings.name(), model, ctx.requestId(), partial, null);
  }

  void reset() {
    if (req != null) req.reset();
  }

  /** Sends the request; completes with the response once its headers arrived. */
  Future<HttpClientResponse> open(HttpMethod method, Endpoint endpoint, Buffer body, String accept) {
    context = Vertx.currentContext();
    Promise<HttpClientResponse> p = Promise.promise();
    long remaining = ctx.remainingMs();
    if (remaining <= 0) {
      return Future.failedFuture(error(WireFailure.of(ErrorKind.TIMEOUT, "deadline", "deadline passed before the call"), Usage.UNKNOWN));
    }
    long wait = Math.max(1, Math.min(ctx.firstTokenMs(), remaining));
    long timer = vertx.setTimer(wait, t -> {
      if (p.tryFail(error(WireFailure.of(ErrorKind.TIMEOUT, "no_response", "no response headers within " + wait + " ms"), Usage.UNKNOWN))) {
        reset();
      }
    });
    UpstreamUrl u = endpoint.parsed();
    RequestOptions ro = new RequestOptions()
        .setMethod(method)
        .setHost(u.host())
        .setPort(u.port())
        .setSsl(u.ssl())
        .setURI(u.pathAndQuery())
        .setConnectTimeout(settings.timeouts().connectMs());
    clients.current().request(ro).onComplete(ar -> {
      if (ar.failed()) {
        vertx.cancelTimer(timer);
        p.tryFail(error(HttpErrorMapper.fromTransport(ar.cause(), false), Usage.UNKNOWN));
        return;
      }
      req = ar.result();
      if (p.future().isComplete()) {
        req.reset();
        return;
      }
      // the request goes upstream now: from here the router can abandon it (its caller left), closing the connection
      ctx.abortHook().sent(() -> {
        if (p.tryFail(error(WireFailure.of(ErrorKind.INTERRUPTED, "cancelled", "call cancelled by the caller"), Usage.UNKNOWN))) {
          vertx.cancelTimer(timer);
        }
        reset();
      });
      if (p.future().isComplete()) return; // abandoned already: the hook has reset the request
      headers.accept(req);
      req.putHeader("accept", accept);
      Future<HttpClientResponse> sent;
      if (body != null) {
        req.putHeader("content-type", "application/json");
        sent = req.send(body);
      } else {
        sent = req.send();
      }
      sent.onComplete(ar2 -> {
        vertx.cancelTimer(timer);
        if (ar2.failed()) {
          p.tryFail(error(HttpErrorMapper.fromTransport(ar2.cause(), false), Usage.UNKNOWN));
        } else if (!p.tryComplete(ar2.result())) {
          req.reset();
        }
      });
    });
    return p.future();
  }

  /** Reads a whole body with the idle and deadline limits. */
  Future<Buffer> readBody(HttpClientResponse resp) {
    Promise<Buffer> p = Promise.promise();
    Buffer acc = Buffer.buffer();
    long[] lastRead = {System.nanoTime()};
    long idleMs = Math.max(1, ctx.idleMs());
    long[] timers = new long[2];
    Runnable cancel = () -> {
      vertx.cancelTimer(timers[0]);
      vertx.cancelTimer(timers[1]);
    };
    timers[1] = vertx.setTimer(Math.max(1, ctx.remainingMs()), t -> {
      if (p.tryFail(error(WireFailure.of(ErrorKind.TIMEOUT, "deadline", "deadline passed while reading the body"), Usage.UNKNOWN))) {
        vertx.cancelTimer(timers[0]);
        reset();
      }
    });
    Handler<Long>[] idle = new Handler[1];
    idle[0] = t -> {
      long silent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRead[0]);
      if (silent + 1 < idleMs) {
        timers[0] = vertx.setTimer(idleMs - silent, idle[0]);
      } else if (p.tryFail(error(WireFailure.of(ErrorKind.INTERRUPTED, "body_stalled", "response body silent for " + silent + " ms"), Usage.UNKNOWN))) {
        vertx.cancelTimer(timers[1]);
        reset();
      }
    };
    timers[0] = vertx.setTimer(idleMs, idle[0]);
    resp.handler(b -> {
      lastRead[0] = System.nanoTime();
      if (acc.length() + b.length() > MAX_BODY_BYTES) {
        cancel.run();
        if (p.tryFail(error(WireFailure.of(ErrorKind.UPSTREAM_ERROR, "body_too_large", "response body larger than " + MAX_BODY_BYTES + " bytes"), Usage.UNKNOWN))) {
          reset();
        }
        return;
      }
      acc.appendBuffer(b);
    });
    resp.exceptionHandler(t -> {
      cancel.run();
      p.tryFail(error(HttpErrorMapper.fromTransport(t, true), Usage.UNKNOWN));
    });
    resp.endHandler(v -> {
      cancel.run();
      p.tryComplete(acc);
    });
    return p.future();
  }
}
