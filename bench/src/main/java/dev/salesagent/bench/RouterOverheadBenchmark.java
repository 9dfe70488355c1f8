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
import dev.salesagent.router.provider.ProviderAdapters;
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
  ProviderAdapter direct;
  ChatRequest chat;
  final AtomicLong ids = new AtomicLong();

  @Setup
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    emulator = Emulator.start(vertx, EmulatorOptions.defaults()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Map<String, String> env = Map.of("CEREBRAS_API_KEY", "c", "CEREBRAS_BASE_URL", emulator.openAiRootUrl(),
        "DEEPSEEK_API_KEY", "d", "DEEPSEEK_BASE_URL", emulator.openAiBaseUrl(),
        "ANTHROPIC_API_KEY", "a", "ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl(), "OLLAMA_HOST", emulator.ollamaBaseUrl());
    RouterConfig cfg = ConfigLoader.loadYaml("budgets: {daily_usd: 1000000, monthly_usd: 10000000}\n", "bench.yaml", env);
    runtime = RouterRuntime.create(vertx, cfg, new SimpleMeterRegistry(), UsageSink.NONE, null);
    direct = ProviderAdapters.create(vertx, cfg.provider("cerebras").settings());
    chat = ChatRequest.user("Score this lead: VP Sales at Acme, 250 employees, asked for a demo.").withMaxTokens(64);
  }

  @TearDown
  public void tearDown() throws Exception {
    direct.close();
    runtime.close();
    emulator.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public ChatResponse directAdapter() throws Exception {
    return await(direct.chat("gpt-oss-120b", chat, CallContext.withTimeout("d" + ids.incrementAndGet(), 60_000, 10_000, 10_000)));
  }

  @Benchmark
  public RoutedResponse viaRouter() throws Exception {
    return await(runtime.router().chat(new RouteRequest("r" + ids.incrementAndGet(), chat, "qualification", "task", null, null, null, null)));
  }
}
