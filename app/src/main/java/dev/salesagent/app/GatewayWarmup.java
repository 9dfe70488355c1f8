package dev.salesagent.app;

import dev.salesagent.app.gateway.GatewayAssembly;
import dev.salesagent.app.logging.DiscardedAccessLog;
import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.config.RouterConfig;
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
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.ObjectName;

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
  /** The warm-up's access lines go through a logger of their own, encoded like the real ones and then dropped. */
  static final String ACCESS_LOGGER = "dev.salesagent.warmup.access";

  private final WarmupPlan plan;
  private final int eventLoops;
  private final RouterConfig real;
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  /** Set once by the clock below; the workers read it between requests. */
  private volatile boolean stop;
  private volatile String endReason = "not started";
  private volatile int keysUsed;

  /** @param real the configuration the gateway will serve: the warm-up takes the same providers, models and tasks */
  GatewayWarmup(WarmupPlan plan, int eventLoops, RouterConfig real) {
    this.plan = plan;
    this.eventLoops = eventLoops;
    this.real = real;
  }

  /** Blocks for as long as the plan says; returns the number of requests answered 200. Cleans up after itself. */
  long run() throws Exception {
    Path dir = Files.createTempDirectory("sales-agent-warmup");
    // A SIGTERM during the warm-up ends the JVM before the finally below runs: take the throwaway database along.
    Thread cleanup = new Thread(() -> deleteTree(dir), "warm-up-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    Vertx vertx = GatewayServer.newVertx(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), eventLoops);
    // The emulators get a Vert.x of their own, without meters: the gateway's HTTP server meters stay its own.
    // Their handlers run on C1 code only (compiler-directives.json): C2 compiling them set the process's RSS peak.
    Vertx upstreams = Vertx.vertx();
    Emulator emulator = null;
    Database db = null;
    GatewayAssembly gateway = null;
    Runnable accessLog = null;
    try {
      emulator = await(Emulator.start(upstreams, EmulatorOptions.defaults()));
      RouterConfig config = WarmupTraffic.pointedAt(real, WarmupTraffic.EmulatorUrls.of(emulator));
      List<String[]> requests = WarmupTraffic.requests(config);
      if (requests.isEmpty()) throw new IllegalStateException("no provider of the configuration can be routed to");
      String key = "sk-warmup-" + UUID.randomUUID();
      db = Database.open("jdbc:h2:file:" + dir.resolve("db") + ";CACHE_SIZE=8192");
      accessLog = DiscardedAccessLog.attach(ACCESS_LOGGER, GatewayOptions.ACCESS_LOGGER);
      GatewayOptions options = GatewayOptions.defaults().withPort(0).withEventLoops(eventLoops).withAccessLogger(ACCESS_LOGGER);
      gateway = await(GatewayAssembly.start(vertx, config, db, key, options, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
      return await(drive(vertx, gateway.port(), key, requests), plan.max().toSeconds() + 60);
    } finally {
      if (accessLog != null) accessLog.run();
      if (gateway != null) await(gateway.shutdown(Duration.ofSeconds(5)).otherwiseEmpty()); // closes the database
      else if (db != null) db.close();
      if (emulator != null) await(emulator.close().otherwiseEmpty());
      await(vertx.close().otherwiseEmpty());
      await(upstreams.close().otherwiseEmpty());
      deleteTree(dir);
      trimNativeHeap();
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  private Future<Long> drive(Vertx vertx, int port, String key, List<String[]> requests) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
    long start = System.nanoTime();
    JitSettling jit = new JitSettling();
    long clock = vertx.setPeriodic(1000, id -> {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      boolean settled = plan.untilJitSettles() && jit.sample();
      if (elapsed.compareTo(plan.max()) >= 0) {
        endReason = plan.untilJitSettles() ? "ceiling reached, JIT still compiling" : "time up";
        stop = true;
      } else if (settled && elapsed.compareTo(plan.min()) >= 0) {
        endReason = "JIT settled";
        stop = true;
      }
      if (stop) vertx.cancelTimer(id);
    });
    AtomicLong served = new AtomicLong();
    Promise<Long> done = Promise.promise();
    AtomicLong running = new AtomicLong(IN_FLIGHT);
    // the workers start on an event loop: built from this (non-Vert.x) thread, a request's chain could ask for a body
    // that had already arrived, which never completes, and the warm-up would wait for that worker to its ceiling
    vertx.runOnContext(v -> clientKeys(client, key).onComplete(created -> {
      List<String> keys = new java.util.ArrayList<>(List.of(key));
      if (created.succeeded()) keys.addAll(created.result());
      keysUsed = keys.size();
      for (int i = 0; i < IN_FLIGHT; i++) {
        loop(client, keys, requests, i, served, () -> {
          if (running.decrementAndGet() == 0) {
            vertx.cancelTimer(clock);
            client.close().onComplete(x -> done.complete(served.get()));
          }
        });
      }
    }));
    return done.future();
  }

  /**
   * Client keys made through the admin API, one without limits and one with a budget, rpm and tpm: requests alternate
   * between them and the admin key, so key look-up, per-key budgets and rate limits are compiled as client keys use
   * them (real traffic comes with client keys; a warm-up on the admin key alone left those paths cold). A key that
   * cannot be made is left out.
   */
  private Future<List<String>> clientKeys(HttpClient client, String admin) {
    List<Future<String>> made = new java.util.ArrayList<>();
    for (String body : CLIENT_KEYS) {
      made.add(client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/admin/keys")
              .putHeader("authorization", "Bearer " + admin).putHeader("content-type", "application/json"))
          .compose(req -> req.send(Buffer.buffer(body)))
          .compose(resp -> resp.body().map(b -> resp.statusCode() == 201 ? new io.vertx.core.json.JsonObject(b).getString("key") : null))
          .otherwise(t -> null));
    }
    return Future.all(made).map(all -> made.stream().map(Future::result).filter(java.util.Objects::nonNull).toList());
  }

  private static final List<String> CLIENT_KEYS = List.of("{\"name\":\"warm-up client\",\"scope\":\"client\"}",
      "{\"name\":\"warm-up limited client\",\"scope\":\"client\",\"budget_usd\":100000000,\"rpm\":1000000,"
          + "\"tpm\":2000000000}");

  /** Keys the requests went out with: the admin key and the client keys that could be made. */
  int keysUsed() { return keysUsed; }

  /** Why the warm-up ended: the JIT settled, the ceiling, or the fixed time. */
  String endReason() { return endReason; }

  /** What went wrong with the first request not answered 200, or {@code null}. */
  String firstFailure() { return firstFailure.get(); }

  /** Requests sent, answered or not. */
  long attempts() { return attempts.get(); }

  /** One worker: request after request until the time is up; a failed request is simply the next one's turn. */
  private void loop(HttpClient client, List<String> keys, List<String[]> requests, int n, AtomicLong served,
                    Runnable finished) {
    if (stop) {
      finished.run();
      return;
    }
    long turn = attempts.get() + n;
    String[] r = requests.get((int) (turn % requests.size()));
    // a key per round through the requests: every request shape goes out with every key
    String key = keys.get((int) ((turn / requests.size() + n) % keys.size()));
    RequestOptions options = new RequestOptions().setURI(r[0]).putHeader("authorization", "Bearer " + key);
    if (r[1] != null) options.setMethod(HttpMethod.POST).putHeader("content-type", "application/json");
    else options.setMethod(HttpMethod.GET);
    client.request(options)
        .compose(req -> r[1] == null ? req.send() : req.send(Buffer.buffer(r[1])))
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 200) firstFailure.compareAndSet(null, "HTTP " + resp.statusCode() + " for " + r[0] + " "
              + r[1] + ": " + b.toString().substring(0, Math.min(300, b.length())));
          return resp.statusCode();
        }))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result() == 200) served.incrementAndGet();
          else if (ar.failed()) firstFailure.compareAndSet(null, ar.cause().toString());
          attempts.incrementAndGet();
          loop(client, keys, requests, n, served, finished);
        });
  }

  /**
   * Hands the warm-up's freed native memory (compiler arenas, the throwaway gateway's and emulators' buffers) back to
   * the OS now, before the real gateway allocates on top of it: the periodic trim ({@code -XX:TrimNativeHeapInterval})
   * may be up to an interval away, and this moment set the process's RSS peak. Same as {@code jcmd <pid>
   * System.trim_native_heap}; a JVM without the command (before 17.0.9, or not glibc) simply skips it.
   *
   * @return the JVM's answer ("Trim native heap: RSS+Swap: 280M->262M ..."), or {@code null} when it has no such command
   */
  static String trimNativeHeap() {
    try {
      return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
          new Object[] {new String[] {}}, new String[] {String[].class.getName()})).trim();
    } catch (JMException | RuntimeException e) {
      return null; // only memory is at stake
    }
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
