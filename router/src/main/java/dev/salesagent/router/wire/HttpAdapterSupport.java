package dev.salesagent.router.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.router.embedding.EmbeddingRequest;
import dev.salesagent.router.embedding.EmbeddingResponse;
import dev.salesagent.router.error.ErrorDialect;
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
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The HTTP side shared by every adapter: the calls (chat, stream, probe) over the provider's pooled clients
 * ({@link UpstreamClients}), each one {@link HttpExchange}, error statuses mapped by the adapter's {@link ErrorMapper},
 * streams as {@link HttpChatStream}. A protocol adapter supplies its endpoints (chosen per request, parsed once),
 * headers, the body and its parsers.
 *
 * <p>Timeouts: connect from {@code settings.timeouts().connectMs()} (→ {@code unavailable}); response headers within
 * {@code min(ctx.firstTokenMs, remaining)} (→ {@code timeout}); when streaming, the first content event within
 * {@code ctx.firstTokenMs} of the start (→ {@code timeout}); then no read may be further apart than
 * {@code ctx.idleMs} (→ {@code timeout} before the first content, {@code interrupted} after); the whole call within
 * the deadline (→ {@code timeout}). Every callback runs on the Vert.x context that started the call.
 */
public abstract class HttpAdapterSupport implements ProviderAdapter {

  protected final Vertx vertx;
  protected final ProviderSettings settings;
  /** What the provider's error bodies and in-answer errors mean (every registered provider's dialect). */
  protected final ErrorMapper errors;
  private final UpstreamClients clients;
  private final Consumer<HttpClientRequest> headerWriter = this::headers;

  protected HttpAdapterSupport(Vertx vertx, ProviderSettings settings, ErrorDialect errors) {
    this.vertx = vertx;
    this.settings = settings;
    this.errors = new ErrorMapper(errors);
    this.clients = new UpstreamClients(vertx, settings);
  }

  // ---- what a protocol supplies ----

  /** Where this request goes (a protocol may pick per request; parse each URL once, see {@link Endpoint}). */
  protected abstract Endpoint chatEndpoint(ChatRequest request);

  protected abstract Endpoint probeEndpoint();

  /** Auth and protocol headers (never logged). */
  protected abstract void headers(HttpClientRequest req);

  protected abstract JsonNode requestBody(String model, ChatRequest request, boolean stream);

  /** The request body as sent: {@link #requestBody} serialised, unless a protocol writes the same bytes faster. */
  protected Buffer requestBytes(String model, ChatRequest request, boolean stream) {
    return WireJson.toBuffer(requestBody(model, request, stream));
  }

  /** Parses a 2xx non-streaming body. */
  protected abstract ChatAccumulator parseBody(String model, ChatRequest request, byte[] body);

  protected abstract StreamParser streamParser(String model, ChatRequest request, Handler<StreamEvent> events);

  /** Where embeddings go; {@code null} (the default): this protocol has none, {@link #embed} fails {@code not_found}. */
  protected Endpoint embeddingEndpoint() {
    return null;
  }

  /** The embeddings request body (only called when {@link #embeddingEndpoint} is set). */
  protected Buffer embeddingBody(String model, EmbeddingRequest request) {
    throw new UnsupportedOperationException(name() + " has no embeddings endpoint");
  }

  /** Parses a 2xx embeddings body (only called when {@link #embeddingEndpoint} is set). */
  protected EmbeddingAnswer parseEmbeddings(byte[] body) {
    throw new UnsupportedOperationException(name() + " has no embeddings endpoint");
  }

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
    clients.close();
  }

  // ---- the calls ----

  private HttpExchange exchange(String model, CallContext ctx, long start) {
    return new HttpExchange(vertx, settings, clients, headerWriter, model, ctx, start);
  }

  @Override
  public Future<ChatResponse> chat(String model, ChatRequest request, CallContext ctx) {
    return onContext(() -> {
      long start = System.nanoTime();
      Buffer body = requestBytes(model, request, false);
      HttpExchange x = exchange(model, ctx, start);
      return x.open(HttpMethod.POST, chatEndpoint(request), body, "application/json")
          .compose(resp -> x.readBody(resp).compose(buf -> {
            int status = resp.statusCode();
            if (status / 100 != 2) return Future.failedFuture(x.error(errors.fromHttp(status, resp.headers(), buf.toString(StandardCharsets.UTF_8)), Usage.UNKNOWN));
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
      HttpExchange x = exchange(model, ctx, start);
      return x.open(HttpMethod.POST, chatEndpoint(request), body, streamAccept()).compose(resp -> {
        int status = resp.statusCode();
        if (status / 100 != 2) {
          return x.readBody(resp).compose(buf -> Future.failedFuture(
              x.error(errors.fromHttp(status, resp.headers(), buf.toString(StandardCharsets.UTF_8)), Usage.UNKNOWN)));
        }
        String ct = resp.getHeader("content-type");
        if (ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
          // a server that answered a streaming request with one JSON document (an error, or a whole answer)
          return x.readBody(resp).compose(buf -> {
            ChatAccumulator acc = parseBody(model, request, buf.getBytes());
            if (acc.failure() != null) return Future.failedFuture(x.error(acc.failure(), acc.usage()));
            ChatResponse r = acc.toResponse(name(), model, x.elapsedMs(), x.elapsedMs());
            return Future.succeededFuture(CompletedStream.replay(r, events));
          });
        }
        HttpChatStream s = new HttpChatStream(x, resp, streamParser(model, request, events));
        s.start();
        return Future.succeededFuture(s);
      });
    });
  }

  /**
   * One embeddings exchange, under the same timeouts as a non-streaming chat call. Vectors longer than the
   * {@code dimensions} asked for (an upstream that ignores the parameter) are cut to that length and renormalised, as
   * OpenAI and Ollama do themselves; a count of vectors that does not match the inputs is an upstream error.
   */
  @Override
  public Future<EmbeddingResponse> embed(String model, EmbeddingRequest request, CallContext ctx) {
    Endpoint endpoint = embeddingEndpoint();
    if (endpoint == null) return ProviderAdapter.super.embed(model, request, ctx);
    return onContext(() -> {
      long start = System.nanoTime();
      Buffer body = embeddingBody(model, request);
      HttpExchange x = exchange(model, ctx, start);
      return x.open(HttpMethod.POST, endpoint, body, "application/json")
          .compose(resp -> x.readBody(resp).compose(buf -> {
            int status = resp.statusCode();
            if (status / 100 != 2) return Future.failedFuture(x.error(errors.fromHttp(status, resp.headers(), buf.toString(StandardCharsets.UTF_8)), Usage.UNKNOWN));
            EmbeddingAnswer a = parseEmbeddings(buf.getBytes());
            if (a.failure() == null && a.vectors().size() != request.inputs().size()) {
              a = EmbeddingAnswer.malformed(a.vectors().size() + " vectors for " + request.inputs().size() + " inputs");
            }
            if (a.failure() != null) return Future.failedFuture(x.error(a.failure(), Usage.UNKNOWN));
            List<float[]> vectors = request.dimensions() == null ? a.vectors() : Vectors.shortened(a.vectors(), request.dimensions());
            return Future.succeededFuture(new EmbeddingResponse(name(), model, vectors, a.usage(), x.elapsedMs()));
          }));
    });
  }

  @Override
  public Future<ProbeResult> probe(CallContext ctx) {
    return onContext(() -> {
      long start = System.nanoTime();
      HttpExchange x = exchange(null, ctx, start);
      return x.open(HttpMethod.GET, probeEndpoint(), null, "application/json")
          .compose(resp -> x.readBody(resp).map(buf -> {
            int status = resp.statusCode();
            if (status / 100 == 2) return new ProbeResult(true, status, x.elapsedMs(), null);
            WireFailure f = errors.fromHttp(status, resp.headers(), buf.toString(StandardCharsets.UTF_8));
            return new ProbeResult(false, status, x.elapsedMs(), f.kind().wire() + ": " + LlmException.safeMessage(f.message()));
          }))
          .recover(t -> {
            String detail = t instanceof LlmException e ? e.kind().wire() + ": " + e.getMessage() : String.valueOf(t.getMessage());
            Integer st = t instanceof LlmException e ? e.httpStatus() : null;
            return Future.succeededFuture(new ProbeResult(false, st, x.elapsedMs(), detail));
          });
    });
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
}
