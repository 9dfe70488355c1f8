package dev.salesagent.emulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small closed-loop load generator against an in-process emulator (no JMH; numbers are indicative):
 * {@code java -cp ... dev.salesagent.emulator.EmulatorLoad [seconds=10] [connections=64] [anthropic|openai|ollama]}.
 * Prints requests/s for each protocol, non-streaming and streaming, with zero emulated latency.
 */
public final class EmulatorLoad {
  private EmulatorLoad() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    String only = args.length > 2 ? args[2] : null; // "anthropic" | "openai" | "ollama"
    Vertx vertx = Vertx.vertx();
    Emulator emu = Emulator.start(vertx, EmulatorOptions.defaults()).await(10, TimeUnit.SECONDS);
    System.out.printf("emulator on port %d, %d connections, %d s per case, %d cores%n", emu.port(), connections, seconds,
        Runtime.getRuntime().availableProcessors());
    String[][] cases = {
      {"anthropic", "/anthropic/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\",\"content\":\"Qualify lead %d\"}]%s}"},
      {"openai", "/openai/v1/chat/completions", "{\"model\":\"gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"Qualify lead %d\"}]%s}"},
      {"ollama", "/ollama/api/chat", "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Qualify lead %d\"}]%s}"},
    };
    if (only != null) cases = java.util.Arrays.stream(cases).filter(c -> c[0].equals(only)).toArray(String[][]::new);
    // warm-up: every case once (the JIT needs a while, more so on a busy machine)
    for (String[] c : cases) {
      for (boolean stream : new boolean[] {false, true}) run(vertx, emu.port(), c, stream, Math.max(2, seconds / 2), connections);
    }
    for (String[] c : cases) {
      for (boolean stream : new boolean[] {false, true}) {
        double rps = run(vertx, emu.port(), c, stream, seconds, connections);
        System.out.printf("%-10s %-13s %10.0f req/s%n", c[0], stream ? "streaming" : "non-streaming", rps);
      }
    }
    emu.close().await(5, TimeUnit.SECONDS);
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private static double run(Vertx vertx, int port, String[] c, boolean stream, int seconds, int connections) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(connections));
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch finished = new CountDownLatch(connections);
    String streamField = c[0].equals("ollama") ? ",\"stream\":" + stream : (stream ? ",\"stream\":true" : "");
    for (int i = 0; i < connections; i++) {
      int worker = i;
      vertx.runOnContext(v -> loop(client, port, c, streamField, end, done, errors, finished, worker * 1_000_000L));
    }
    long t0 = System.nanoTime();
    finished.await(seconds + 30L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    client.close().await(5, TimeUnit.SECONDS);
    if (errors.get() > 0) System.out.printf("  (%d errors)%n", errors.get());
    return done.get() / elapsed;
  }

  private static void loop(HttpClient client, int port, String[] c, String streamField, long end, AtomicLong done, AtomicLong errors,
      CountDownLatch finished, long n) {
    if (System.nanoTime() >= end) {
      finished.countDown();
      return;
    }
    Buffer body = Buffer.buffer(c[2].replace("%d", Long.toString(n % 1000)).replace("%s", streamField));
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(c[1])
        .putHeader("content-type", "application/json").putHeader("x-api-key", "k").putHeader("anthropic-version", "2023-06-01")
        .putHeader("authorization", "Bearer k");
    Future<Buffer> f = client.request(ro).compose(req -> req.send(body)).compose(res -> {
      if (res.statusCode() != 200) errors.incrementAndGet();
      return res.body();
    });
    f.onComplete(ar -> {
      if (ar.succeeded()) done.incrementAndGet();
      else errors.incrementAndGet();
      loop(client, port, c, streamField, end, done, errors, finished, n + 1);
    });
  }
}
