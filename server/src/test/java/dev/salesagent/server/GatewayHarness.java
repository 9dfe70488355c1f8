package dev.salesagent.server;

import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.budget.InMemoryBudgetCounters;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.routing.UsageSink;
import dev.salesagent.server.auth.KeyRegistry;
import dev.salesagent.server.chat.ModelCatalog;
import dev.salesagent.server.chat.ProviderStatusSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway in-process on a free port, over the emulators, with {@link #ADMIN_KEY} as the bootstrap admin key. This
 * one has no database: in-memory budgets, no key store, no usage ledger, no sales endpoints — the server's own
 * behaviour. The app module's harness extends it with the assembled gateway (H2 or PostgreSQL) for the tests that
 * need the store.
 */
public class GatewayHarness implements AutoCloseable {
  public static final String ADMIN_KEY = "sk-test-admin-0123456789";
  public final Vertx vertx;
  public final Emulator emulator;
  public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  public Gateway gateway;
  protected final String extraYaml;
  protected final GatewayOptions options;
  protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  public GatewayHarness() {
    this("", GatewayOptions.defaults().withPort(0).withEventLoops(2));
  }

  public GatewayHarness(String extraYaml, GatewayOptions options) {
    this(extraYaml, options, EmulatorOptions.defaults());
  }

  /** With the emulators' latency set by {@code emulatorOptions} (a slow stream, say). */
  public GatewayHarness(String extraYaml, GatewayOptions options, EmulatorOptions emulatorOptions) {
    this(extraYaml, options, emulatorOptions, true);
  }

  /** For a subclass that sets its own fields first: it calls {@link #start()} itself when {@code startNow} is false. */
  protected GatewayHarness(String extraYaml, GatewayOptions options, EmulatorOptions emulatorOptions, boolean startNow) {
    this.extraYaml = extraYaml;
    this.options = options;
    this.vertx = GatewayServer.newVertx(registry, 2);
    this.emulator = await(Emulator.start(vertx, emulatorOptions));
    if (startNow) start();
  }

  protected Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_API_KEY", "test-key-a");
    env.put("CEREBRAS_API_KEY", "test-key-c");
    env.put("DEEPSEEK_API_KEY", "test-key-d");
    env.put("ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl());
    env.put("CEREBRAS_BASE_URL", emulator.openAiRootUrl());
    env.put("DEEPSEEK_BASE_URL", emulator.openAiBaseUrl());
    env.put("OLLAMA_HOST", emulator.ollamaBaseUrl());
    return env;
  }

  /**
   * (Re)starts the gateway. The timeouts are generous on purpose: tests send dozens of requests at once, and on a busy
   * machine (other builds beside this one) a loopback connect or first token can take seconds; no test here is about a
   * timeout firing, so none may fail because one did.
   */
  public void start() {
    String base = """
        resilience:
          max_retries: 2
          backoff: {initial_ms: 5, max_ms: 20}
          timeouts: {connect_ms: 5000, first_token_ms: 20000, idle_ms: 20000, total_ms: 30000}
          circuit_breaker: {failure_rate_percent: 90, minimum_calls: 50, open_ms: 500, half_open_calls: 1, window_size: 100}
        health: {probe_interval_ms: 60000, probe_jitter_ms: 10, down_after_failures: 1000}
        budgets: {daily_usd: 1000, monthly_usd: 10000}
        """;
    RouterConfig cfg = ConfigLoader.loadLayers(Arrays.asList(base, extraYaml), "test.yaml", env());
    gateway = await(startGateway(cfg));
  }

  /** The server's parts without a store: the bootstrap admin key only, in-memory budgets, no ledger. */
  protected Future<Gateway> startGateway(RouterConfig cfg) {
    KeyRegistry keys = new KeyRegistry(vertx, null, ADMIN_KEY);
    InMemoryBudgetCounters budgets = new InMemoryBudgetCounters(cfg.budgets().limits(), keys::limitsFor);
    RouterRuntime runtime = RouterRuntime.create(vertx, cfg, registry, UsageSink.NONE, budgets);
    GatewayServices services = new GatewayServices(runtime.router(), new ModelCatalog(cfg),
        ProviderStatusSource.fromRuntime(runtime), keys, null, null, budgets, null, registry, options);
    return Gateway.start(vertx, services, runtime, null, List.of());
  }

  public void stop() {
    if (gateway != null) await(gateway.shutdown(Duration.ofSeconds(5)));
    gateway = null;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  public HttpResponse<String> post(String path, String key, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(60))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) b.header("authorization", "Bearer " + key);
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b.build());
  }

  public HttpResponse<String> get(String path, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(60)).GET();
    if (key != null) b.header("authorization", "Bearer " + key);
    return send(b.build());
  }

  public HttpResponse<String> delete(String path, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(60)).DELETE();
    if (key != null) b.header("authorization", "Bearer " + key);
    return send(b.build());
  }

  public HttpResponse<String> send(HttpRequest r) {
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new RuntimeException(e.getCause());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  /** SSE data payloads of a body, in order. */
  public static List<String> sseData(String body) {
    List<String> out = new ArrayList<>();
    for (String line : body.split("\n")) if (line.startsWith("data: ")) out.add(line.substring(6));
    return out;
  }

  /** SSE event names of a body, in order. */
  public static List<String> sseEvents(String body) {
    List<String> out = new ArrayList<>();
    for (String line : body.split("\n")) if (line.startsWith("event: ")) out.add(line.substring(7));
    return out;
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      try {
        emulator.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception ignore) {
        // best effort
      }
      vertx.close();
    }
  }
}
