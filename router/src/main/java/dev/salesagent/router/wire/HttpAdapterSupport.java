package dev.salesagent.router.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.provider.CallContext;
import dev.salesagent.router.provider.ChatStream;
import dev.salesagent.router.provider.ProbeResult;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.provider.ProviderSettings;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP side shared by every adapter: pooled keep-alive Vert.x clients per provider, the request/response
 * exchange with its timers, error mapping and the streaming {@link ChatStream}. A protocol adapter supplies URLs,
 * headers, the body and its parsers.
 *
 * <p>Timeouts: connect from {@code settings.timeouts().connectMs()} (→ {@code unavailable}); response headers within
 * {@code min(ctx.firstTokenMs, remaining)} (→ {@code timeout}); when streaming, the first content event within
 * {@code ctx.firstTokenMs} of the start (→ {@code timeout}); then no read may be further apart than
 * {@code ctx.idleMs} (→ {@code timeout} before the first content, {@code interrupted} after); the whole call within
 * the deadline (→ {@code timeout}). Every callback runs on the Vert.x context that started the call.
 */
public abstract class HttpAdapterSupport implements ProviderAdapter {

  /** Connections per provider when {@code max_concurrency} is 0 (unlimited): high enough never to be the limit. */
  static final int UNBOUNDED_POOL = 8192;

  /** Largest non-streaming body read. */
  static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

  protected final Vertx vertx;
  protected final ProviderSettings settings;
  /** For callers off the event loops (the CLI's main thread, workers). */
  private final HttpClientAgent client;
  private final Supplier<HttpClientAgent> newClient;
  /**
   * One client per event loop, built on first use from that loop: a client creates its connections on the caller's
   * loop, so the upstream exchange then runs on the thread that serves the caller. A single shared client hands a
   * request any idle connection, often one bound to another loop — two thread hops (and wake-ups) per call.
   */
  private final FastThreadLocal<HttpClientAgent> loopClients = new FastThreadLocal<>() {
    @Override
    protected HttpClientAgent initialValue() {
      if (closed) return client;
      HttpClientAgent c = newClient.get();
      allClients.add(c);
      return c;
    }
  };
  private final List<HttpClientAgent> allClients = new CopyOnWriteArrayList<>();
  /** An adapter calls the same two or three URLs: each is parsed once, not on every request. */
  private final ConcurrentHashMap<String, UpstreamUrl> parsedUrls = new ConcurrentHashMap<>();
  private volatile boolean closed;

  protected HttpAdapterSupport(Vertx vertx, ProviderSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    HttpClientOptions o = new HttpClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeouts().connectMs()))
        .setKeepAlive(true)
        .setKeepAliveTimeout(60)
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true)
        // A fixed receive buffer (no autotuning to megabytes): when a slow client pauses a stream, what the upstream
        // can still push into this connection stays small (docs/OPERATIONS.md "Streams to slow clients").
        .setReceiveBufferSize(128 * 1024)
        .setName("llm-" + settings.name());
    // max_concurrency 0 means unlimited: the pool must not cap it either (a cap of 64 queued every call beyond 64 in
    // flight for a free connection — at 128 paced streams that halved throughput while the CPU was not saturated)
    PoolOptions p = new PoolOptions().setHttp1MaxSize(settings.maxConcurrency() > 0 ? settings.maxConcurrency() : UNBOUNDED_POOL);
    this.newClient = () -> vertx.httpClientBuilder().with(o).with(p).build();
    this.client = newClient.get();
    allClients.add(client);
  }

  /** The caller's event loop's client, or the shared one off the loops. */
  private HttpClientAgent client() {
    return Context.isOnEventLoopThread() ? loopClients.get() : client;
  }

  private UpstreamUrl upstreamUrl(String url) {
    UpstreamUrl u = parsedUrls.get(url);
    if (u == null) {
      u = UpstreamUrl.parse(url);
      if (parsedUrls.size() < 16) parsedUrls.put(url, u);
    }
    return u;
  }

  // ---- what a protocol supplies ----

  protected abstract String chatUrl();

  protected abstract String probeUrl();

  /** Auth and protocol headers (never logged). */
  protected abstract void headers(HttpClientRequest req);

  protected abstract JsonNode requestBody(String model, ChatRequest request, boolean stream);

  /** The request body as sent: {@link #requestBody} serialised, unless a protocol writes the same bytes faster. */
  protected Buffer requestBytes(String model, ChatRequest request, boolean stream) {
    return Json.toBuffer(requestBody(model, request, stream));
  }

  /** Parses a 2xx non-streaming body. */
  protected abstract ChatAccumulator parseBody(String model, ChatRequest request, byte[] body);

  protected abstract StreamParser streamParser(String model, ChatRequest request, Handler<StreamEvent> events);

  /** The Accept header of a streaming call. */
  protected String streamAccept() {
    return "text/event-stream";
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public ProviderSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    closed = true;
    allClients.forEach(HttpClientAgent::close);
  }

  // ---- the calls ----

  @Override
  public Future<ChatResponse> chat(String model, ChatRequest request, CallContext ctx) {
    return onContext(() -> {
      long start = System.nanoTime();
      Buffer body = requestBytes(model, request, false);
      Exchange x = new Exchange(model, ctx, start);
      return x.open(HttpMethod.POST, chatUrl(), body, "application/json")
          .compose(resp -> x.readBody(resp).compose(buf -> {
            int status = resp.statusCode();
            if (status / 100 != 2) return Future.failedFuture(x.error(HttpErrorMapper.fromHttp(status, resp.headers(), buf.toString(StandardCharsets.UTF_8)), Usage.UNKNOWN));
            byte[] bytes = buf.getBytes();
            ChatAccumulator acc = parseBody(model, request, bytes);
            if (acc.failure() != null) return Future.failedFuture(x.error(acc.failure(), acc.usage()));
            return Future.succeededFuture(acc.toResponse(name(), model, x.elapsedMs(), null));
          }));
    });
  }

  @Override
  public Future<ChatStream> stream(String model, ChatRequest request, CallContext ctx, Handler<StreamEvent> events) {
    return onContext(() -> {
      long start = System.nanoTime();
      Buffer body = requestBytes(model, request, true);
      Exchange x = new Exchange(model, ctx, start);
      return x.open(HttpMethod.POST, chatUrl(), body, streamAccept()).compose(resp -> {
        int status = resp.statusCode();
        if (status / 100 != 2) {
          return x.readBody(resp).compose(buf -> Future.failedFuture(
              x.error(HttpErrorMapper.fromHttp(status, resp.headers(), buf.toString(StandardCharsets.UTF_8)), Usage.UNKNOWN)));
        }
        String ct = resp.getHeader("content-type");
        if (ct != null && ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
          // a server that answered a streaming request with one JSON document (an error, or a whole answer)
          return x.readBody(resp).compose(buf -> {
            ChatAccumulator acc = parseBody(model, request, buf.getBytes());
            if (acc.failure() != null) return Future.failedFuture(x.error(acc.failure(), acc.usage()));
            ChatResponse r = acc.toResponse(name(), model, x.elapsedMs(), x.elapsedMs());
            if (r.reasoning() != null) events.handle(new StreamEvent.ReasoningDelta(r.reasoning()));
            if (!r.text().isEmpty()) events.handle(new StreamEvent.TextDelta(r.text()));
            for (int i = 0; i < r.toolCalls().size(); i++) {
              var tc = r.toolCalls().get(i);
              events.handle(new StreamEvent.ToolCallDelta(i, tc.id(), tc.name(), tc.argumentsJson()));
            }
            return Future.succeededFuture(completed(r));
          });
        }
        HttpChatStream s = new HttpChatStream(x, resp, streamParser(model, request, events));
        s.start();
        return Future.succeededFuture(s);
      });
    });
  }

  @Override
  public Future<ProbeResult> probe(CallContext ctx) {
    return onContext(() -> {
      long start = System.nanoTime();
      Exchange x = new Exchange(null, ctx, start);
      return x.open(HttpMethod.GET, probeUrl(), null, "application/json")
          .compose(resp -> x.readBody(resp).map(buf -> {
            int status = resp.statusCode();
            if (status / 100 == 2) return new ProbeResult(true, status, x.elapsedMs(), null);
            WireFailure f = HttpErrorMapper.fromHttp(status, resp.headers(), buf.toString(StandardCharsets.UTF_8));
            return new ProbeResult(false, status, x.elapsedMs(), f.kind().wire() + ": " + LlmException.safeMessage(f.message()));
          }))
          .recover(t -> {
            String detail = t instanceof LlmException e ? e.kind().wire() + ": " + e.getMessage() : String.valueOf(t.getMessage());
            Integer st = t instanceof LlmException e ? e.httpStatus() : null;
            return Future.succeededFuture(new ProbeResult(false, st, x.elapsedMs(), detail));
          });
    });
  }

  /** A stream that is already over (the upstream sent one JSON document). */
  private static ChatStream completed(ChatResponse r) {
    Future<ChatResponse> f = Future.succeededFuture(r);
    return new ChatStream() {
      @Override public Future<ChatResponse> result() { return f; }
      @Override public ChatStream pause() { return this; }
      @Override public ChatStream resume() { return this; }
      @Override public void cancel() { }
    };
  }

  /** Runs the call on one Vert.x context (the caller's, or a new event-loop one), so all callbacks share it. */
  private <T> Future<T> onContext(Supplier<Future<T>> call) {
    Context current = Vertx.currentContext();
    if (current != null && current.owner() == vertx) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    Context c = vertx.getOrCreateContext();
    Promise<T> p = Promise.promise();
    c.runOnContext(v -> {
      try {
        call.get().onComplete(p);
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  /** One HTTP exchange: its request, timers and error context. */
  final class Exchange {
    final String model;
    final CallContext ctx;
    final long startNanos;
    HttpClientRequest req;
    Context context;

    Exchange(String model, CallContext ctx, long startNanos) {
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
    Future<HttpClientResponse> open(HttpMethod method, String url, Buffer body, String accept) {
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
      UpstreamUrl u = upstreamUrl(url);
      RequestOptions ro = new RequestOptions()
          .setMethod(method)
          .setHost(u.host())
          .setPort(u.port())
          .setSsl(u.ssl())
          .setURI(u.pathAndQuery())
          .setConnectTimeout(settings.timeouts().connectMs());
      client().request(ro).onComplete(ar -> {
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
        headers(req);
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
}
