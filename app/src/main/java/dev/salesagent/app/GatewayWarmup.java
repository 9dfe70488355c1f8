package dev.salesagent.app;

import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.server.Gateway;
import dev.salesagent.server.GatewayOptions;
import dev.salesagent.server.GatewayServer;
import dev.salesagent.store.Database;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Warms the JIT before the gateway takes traffic. The JVM needs tens of seconds of load before the request path is
 * compiled by C2; until then a request costs two to three times the CPU. This runs a complete, private gateway — its
 * own Vert.x, meter registry, throwaway H2 database and admin key — against the in-process provider emulators on
 * loopback, and drives both chat APIs, streaming and not, for the given time. Only the compiled code survives: no
 * request of the warm-up reaches a real provider, the real ledger, budgets or metrics.
 */
final class GatewayWarmup {
  /** Concurrent requests in flight: enough to keep both event loops and the emulator busy on a small machine. */
  private static final int IN_FLIGHT = 16;
  private static final String OVERLAY = """
      budgets: {daily_usd: 1000000000, monthly_usd: 1000000000}
      health: {probe_interval_ms: 3600000}
      providers:
        anthropic: {max_concurrency: 0}
        cerebras: {max_concurrency: 0}
        deepseek: {max_concurrency: 0}
        ollama: {max_concurrency: 0}
      """;
  /** Path, body: both wire dialects, streaming and not, through the providers of every adapter kind. */
  private static final List<String[]> REQUESTS = List.of(
      chat("cerebras/gpt-oss-120b", false), chat("cerebras/gpt-oss-120b", true),
      chat("deepseek/deepseek-flash", true), chat("task:qualification", false),
      chat("ollama/llama3.2", true), chat("ollama/llama3.2", false),
      messages("anthropic/claude-haiku-4-5", false), messages("anthropic/claude-haiku-4-5", true));

  private final Duration duration;
  private final int eventLoops;
  private final AtomicLong attempts = new AtomicLong();

  GatewayWarmup(Duration duration, int eventLoops) {
    this.duration = duration;
    this.eventLoops = eventLoops;
  }

  /** Blocks for about {@code duration}; returns the number of requests answered 200. Cleans up after itself. */
  long run() throws Exception {
    Path dir = Files.createTempDirectory("sales-agent-warmup");
    Vertx vertx = GatewayServer.newVertx(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), eventLoops);
    // The emulators get a Vert.x of their own, without meters: the gateway's HTTP server meters stay its own.
    Vertx upstreams = Vertx.vertx();
    Emulator emulator = null;
    Database db = null;
    Gateway gateway = null;
    try {
      emulator = await(Emulator.start(upstreams, EmulatorOptions.defaults()));
      RouterConfig config = ConfigLoader.loadYaml(OVERLAY, "warm-up", Map.of(
          "ANTHROPIC_API_KEY", "warmup", "CEREBRAS_API_KEY", "warmup", "DEEPSEEK_API_KEY", "warmup",
          "ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl(), "CEREBRAS_BASE_URL", emulator.openAiRootUrl(),
          "DEEPSEEK_BASE_URL", emulator.openAiBaseUrl(), "OLLAMA_HOST", emulator.ollamaBaseUrl()));
      String key = "sk-warmup-" + UUID.randomUUID();
      db = Database.open("jdbc:h2:file:" + dir.resolve("db") + ";CACHE_SIZE=8192");
      // The access log stays off: thousands of warm-up lines would bury the real ones.
      GatewayOptions options = GatewayOptions.defaults().withPort(0).withEventLoops(eventLoops).withAccessLog(false);
      gateway = await(Gateway.start(vertx, config, db, key, options, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
      return await(drive(vertx, gateway.port(), key), duration.toSeconds() + 60);
    } finally {
      if (gateway != null) await(gateway.shutdown(Duration.ofSeconds(5)).otherwiseEmpty()); // closes the database
      else if (db != null) db.close();
      if (emulator != null) await(emulator.close().otherwiseEmpty());
      await(vertx.close().otherwiseEmpty());
      await(upstreams.close().otherwiseEmpty());
      deleteTree(dir);
    }
  }

  private Future<Long> drive(Vertx vertx, int port, String key) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
    long until = System.nanoTime() + duration.toNanos();
    AtomicLong served = new AtomicLong();
    Promise<Long> done = Promise.promise();
    AtomicLong running = new AtomicLong(IN_FLIGHT);
    for (int i = 0; i < IN_FLIGHT; i++) {
      loop(client, key, i, until, served, () -> {
        if (running.decrementAndGet() == 0) client.close().onComplete(x -> done.complete(served.get()));
      });
    }
    return done.future();
  }

  /** Requests sent, answered or not. */
  long attempts() { return attempts.get(); }

  /** One worker: request after request until the time is up; a failed request is simply the next one's turn. */
  private void loop(HttpClient client, String key, int n, long until, AtomicLong served, Runnable finished) {
    if (System.nanoTime() >= until) {
      finished.run();
      return;
    }
    String[] r = REQUESTS.get((int) ((attempts.get() + n) % REQUESTS.size()));
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(r[0])
            .putHeader("authorization", "Bearer " + key).putHeader("content-type", "application/json"))
        .compose(req -> req.send(Buffer.buffer(r[1])))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result() == 200) served.incrementAndGet();
          attempts.incrementAndGet();
          loop(client, key, n, until, served, finished);
        });
  }

  private static String[] chat(String model, boolean stream) {
    return new String[] {"/v1/chat/completions", "{\"model\":\"" + model + "\",\"max_tokens\":64,"
        + (stream ? "\"stream\":true,\"stream_options\":{\"include_usage\":true}," : "")
        + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"Say hello to the warm-up.\"}]}"};
  }

  private static String[] messages(String model, boolean stream) {
    return new String[] {"/v1/messages", "{\"model\":\"" + model + "\",\"max_tokens\":64,"
        + (stream ? "\"stream\":true," : "") + "\"system\":\"Be brief.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the warm-up.\"}]}"};
  }

  private static <T> T await(Future<T> f) throws Exception {
    return await(f, 60);
  }

  private static <T> T await(Future<T> f, long seconds) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }
}
