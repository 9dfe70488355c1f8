package dev.salesagent.emulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible upstream that streams as fast as its client reads: {@code POST /v1/chat/completions} with
 * {@code "stream": true} answers SSE chunks of {@value #TEXT_CHARS} characters each, without end (or up to
 * {@code maxBytesPerStream}), writing only while the connection's write queue has room — like a real provider behind
 * TCP. It shows whether backpressure reaches the upstream: {@link #bytesWritten()} stops growing when the gateway's
 * client stops reading, and {@link #openStreams()} falls when the gateway cancels the call. Non-streaming requests get
 * a short JSON answer. For hostile-traffic tests and the slow-client benchmark, not a protocol emulator (see
 * {@link Emulator} for those).
 */
public final class Firehose {
  /** Characters of text per chunk. */
  public static final int TEXT_CHARS = 64;
  private static final Buffer CHUNK = Buffer.buffer(("data: {\"id\":\"chatcmpl-fire\",\"object\":\"chat.completion.chunk\","
      + "\"model\":\"fire\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + "firehose ".repeat(8).substring(0, TEXT_CHARS)
      + "\"},\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
  private static final Buffer END = Buffer.buffer(("data: {\"id\":\"chatcmpl-fire\",\"object\":\"chat.completion.chunk\","
      + "\"model\":\"fire\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}\n\ndata: [DONE]\n\n")
      .getBytes(StandardCharsets.UTF_8));
  /** Chunks written per turn of the writer before it checks the queue again. */
  private static final int BURST = 64;

  private final Vertx vertx;
  private final long maxBytesPerStream;
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicInteger openStreams = new AtomicInteger();
  private final AtomicInteger streamsStarted = new AtomicInteger();
  private HttpServer server;

  private Firehose(Vertx vertx, long maxBytesPerStream) {
    this.vertx = vertx;
    this.maxBytesPerStream = maxBytesPerStream;
  }

  /** Listens on a free loopback port; each stream ends after {@code maxBytesPerStream} bytes ({@code <= 0}: never). */
  public static Future<Firehose> start(Vertx vertx, long maxBytesPerStream) {
    Firehose f = new Firehose(vertx, maxBytesPerStream <= 0 ? Long.MAX_VALUE : maxBytesPerStream);
    f.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setTcpNoDelay(true)
        // a small send buffer, so bytesWritten is close to what the client actually took (not what the kernel holds)
        .setSendBufferSize(64 * 1024))
        .requestHandler(f::handle);
    return f.server.listen(0).map(s -> f);
  }

  /** {@code http://127.0.0.1:PORT/v1}: an openai-compatible {@code base_url}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** SSE bytes written by every stream so far. */
  public long bytesWritten() { return bytesWritten.get(); }

  /** Streams whose connection is still open. */
  public int openStreams() { return openStreams.get(); }

  /** Streaming requests received. */
  public int streamsStarted() { return streamsStarted.get(); }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.POST || !req.path().endsWith("/chat/completions")) {
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onSuccess(body -> {
      boolean stream = body.toString(StandardCharsets.UTF_8).replace(" ", "").contains("\"stream\":true");
      HttpServerResponse resp = req.response();
      if (!stream) {
        resp.putHeader("content-type", "application/json").end("{\"id\":\"chatcmpl-fire\",\"object\":\"chat.completion\","
            + "\"model\":\"fire\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}");
        return;
      }
      streamsStarted.incrementAndGet();
      openStreams.incrementAndGet();
      resp.setChunked(true).putHeader("content-type", "text/event-stream");
      Writer w = new Writer(resp);
      resp.closeHandler(v -> w.done());
      w.run();
    });
  }

  /** Writes bursts while the queue has room; waits for a drain when it is full. */
  private final class Writer implements Runnable {
    private final HttpServerResponse resp;
    private long written;
    private boolean done;

    Writer(HttpServerResponse resp) {
      this.resp = resp;
    }

    @Override
    public void run() {
      if (resp.closed() || resp.ended()) return;
      for (int i = 0; i < BURST; i++) {
        if (written >= maxBytesPerStream) {
          resp.end(END);
          done();
          return;
        }
        resp.write(CHUNK);
        written += CHUNK.length();
        bytesWritten.addAndGet(CHUNK.length());
        if (resp.writeQueueFull()) {
          resp.drainHandler(v -> run());
          return;
        }
      }
      vertx.runOnContext(v -> run()); // let reads and other connections in between bursts
    }

    void done() {
      if (done) return;
      done = true;
      openStreams.decrementAndGet();
    }
  }
}
