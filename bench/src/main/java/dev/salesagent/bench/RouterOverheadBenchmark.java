package dev.salesagent.bench;

import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.provider.CallContext;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.provider.registry.Providers;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.UsageSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The router's own overhead: the same non-streaming call to a zero-latency loopback emulator, once straight through
 * the adapter and once through the router (classification off: the task is given; planning, circuit breaker,
 * bulkhead, budget reservation and settlement, metrics and the usage sink included). Overhead = the difference of
 * the two medians.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class RouterOverheadBenchmark {
  Vertx vertx;
  Emulator emulator;
  RouterRuntime runtime;
  RouterRuntime instantRuntime;
  ChatResponse canned;
  ProviderAdapter direct;
  ChatRequest chat;
  final AtomicLong ids = new AtomicLong();

  @Setup
  public void setUp() throws Exception {
    // the bench jar has no logback.xml: logback's default is DEBUG to the console, which would measure logging
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    dev.salesagent.router.tokens.TokenEstimator.defaultEstimator().awaitReady(60_000);
    vertx = Vertx.vertx();
    emulator = Emulator.start(vertx, EmulatorOptions.defaults()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Map<String, String> env = Map.of("CEREBRAS_API_KEY", "c", "CEREBRAS_BASE_URL", emulator.openAiRootUrl(),
        "DEEPSEEK_API_KEY", "d", "DEEPSEEK_BASE_URL", emulator.openAiBaseUrl(),
        "ANTHROPIC_API_KEY", "a", "ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl(), "OLLAMA_HOST", emulator.ollamaBaseUrl());
    RouterConfig cfg = ConfigLoader.loadYaml("budgets: {daily_usd: 1000000, monthly_usd: 10000000}\n", "bench.yaml", env);
    runtime = RouterRuntime.create(vertx, cfg, new SimpleMeterRegistry(), UsageSink.NONE, null);
    direct = Providers.BUILT_IN.adapter(vertx, cfg.provider("cerebras").settings());
    canned = new ChatResponse("id", "cerebras", "gpt-oss-120b", "ok", null, null,
        dev.salesagent.router.model.FinishReason.STOP, "stop", new dev.salesagent.router.model.Usage(20, 5, 0), 0, null);
    instantRuntime = RouterRuntime.create(vertx, cfg, new SimpleMeterRegistry(), UsageSink.NONE, null, s -> new InstantAdapter(s, canned));
    instantContext = vertx.getOrCreateContext();
    chat = ChatRequest.user("Score this lead: VP Sales at Acme, 250 employees, asked for a demo.").withMaxTokens(64);
  }

  @TearDown
  public void tearDown() throws Exception {
    direct.close();
    runtime.close();
    instantRuntime.close();
    emulator.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** Answers every call at once with a canned response. */
  static final class InstantAdapter implements ProviderAdapter {
    final dev.salesagent.router.provider.ProviderSettings s;
    final ChatResponse r;

    InstantAdapter(dev.salesagent.router.provider.ProviderSettings s, ChatResponse r) {
      this.s = s;
      this.r = r;
    }

    @Override public String name() { return s.name(); }
    @Override public dev.salesagent.router.provider.ProviderSettings settings() { return s; }
    @Override public Future<ChatResponse> chat(String model, ChatRequest request, CallContext ctx) { return Future.succeededFuture(r); }
    @Override public Future<dev.salesagent.router.provider.ChatStream> stream(String model, ChatRequest request, CallContext ctx,
        io.vertx.core.Handler<dev.salesagent.router.model.StreamEvent> events) { throw new UnsupportedOperationException(); }
    @Override public Future<dev.salesagent.router.provider.ProbeResult> probe(CallContext ctx) {
      return Future.succeededFuture(new dev.salesagent.router.provider.ProbeResult(true, 200, 0, null));
    }
    @Override public void close() {}
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public ChatResponse directAdapter() throws Exception {
    return await(direct.chat("gpt-oss-120b", chat, CallContext.withTimeout("d" + ids.incrementAndGet(), 60_000, 10_000, 10_000)));
  }

  /**
   * The router's own work with no network at all: an adapter that answers at once. Called from a Vert.x context (as the
   * HTTP gateway does), so this is planning, resilience, budgets, metrics and the usage sink, nothing else.
   */
  @Benchmark
  public RoutedResponse routerOnlyInstantAdapter() throws Exception {
    io.vertx.core.Promise<RoutedResponse> p = io.vertx.core.Promise.promise();
    instantContext.runOnContext(v -> instantRuntime.router()
        .chat(new RouteRequest("i" + ids.incrementAndGet(), chat, "qualification", "task", null, null, null, null)).onComplete(p));
    return await(p.future());
  }

  /** Baseline of {@link #routerOnlyInstantAdapter}: the same hop onto the context and back, no router. */
  @Benchmark
  public ChatResponse contextHopOnly() throws Exception {
    io.vertx.core.Promise<ChatResponse> p = io.vertx.core.Promise.promise();
    instantContext.runOnContext(v -> p.complete(canned));
    return await(p.future());
  }

  io.vertx.core.Context instantContext;

  @Benchmark
  public RoutedResponse viaRouter() throws Exception {
    return await(runtime.router().chat(new RouteRequest("r" + ids.incrementAndGet(), chat, "qualification", "task", null, null, null, null)));
  }
}
