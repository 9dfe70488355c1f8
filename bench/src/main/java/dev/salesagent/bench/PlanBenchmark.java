package dev.salesagent.bench;

import dev.salesagent.router.budget.InMemoryBudgetCounters;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.execution.LiveState;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.ChatResponse;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.provider.CallContext;
import dev.salesagent.router.provider.ChatStream;
import dev.salesagent.router.provider.ProbeResult;
import dev.salesagent.router.provider.ProviderAdapter;
import dev.salesagent.router.provider.ProviderSettings;
import dev.salesagent.router.strategy.PlanInput;
import dev.salesagent.router.strategy.Planner;
import dev.salesagent.router.strategy.RoutePlan;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Planning cost: the default 4 providers (8 targets) and 50 extra targets, for the task, cost and latency strategies,
 * against the router's real live state (circuit breakers, health, in-memory budgets with a global limit).
 * Run with {@code -prof gc} for bytes per plan.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class PlanBenchmark {

  @Param({"4", "50"})
  public int targets;

  @Param({"task", "cost", "latency"})
  public String strategy;

  Planner planner;
  LiveState state;
  PlanInput input;

  @Setup
  public void setUp() {
    Map<String, String> env = Map.of("ANTHROPIC_API_KEY", "a", "CEREBRAS_API_KEY", "c", "DEEPSEEK_API_KEY", "d");
    String yaml = null;
    if (targets == 50) {
      StringBuilder y = new StringBuilder("providers:\n");
      for (int i = 0; i < 10; i++) {
        y.append("  p").append(i).append(":\n    kind: openai-compatible\n    base_url: http://127.0.0.1:1\n    models:\n");
        for (int m = 0; m < 5; m++) {
          y.append("      m").append(m).append(": {context_window: 128000, input_usd_per_mtok: ").append(0.1 + i * 0.2 + m * 0.05)
              .append(", output_usd_per_mtok: ").append(0.4 + m).append(", capabilities: [json, tools]}\n");
        }
      }
      StringBuilder chain = new StringBuilder("tasks:\n  qualification: {chain: [");
      for (int i = 0; i < 10; i++) for (int m = 0; m < 5; m++) chain.append(i + m == 0 ? "" : ", ").append("p").append(i).append("/m").append(m);
      y.append(chain).append("]}\n");
      yaml = y.toString();
    }
    RouterConfig cfg = ConfigLoader.loadYaml(yaml, "bench.yaml", env);
    planner = new Planner(cfg);
    state = new LiveState(cfg, planner, pc -> new NoopAdapter(pc.settings()),
        new InMemoryBudgetCounters(cfg.budgets().limits(), k -> null));
    input = new PlanInput("qualification", strategy, null, Set.of(), 420, 300, 720, null, null, false);
  }

  @Benchmark
  public RoutePlan plan() {
    return planner.plan(input, state);
  }

  /** An adapter that is never called: planning only needs it to exist. */
  static final class NoopAdapter implements ProviderAdapter {
    private final ProviderSettings s;

    NoopAdapter(ProviderSettings s) { this.s = s; }

    @Override public String name() { return s.name(); }
    @Override public ProviderSettings settings() { return s; }
    @Override public Future<ChatResponse> chat(String model, ChatRequest request, CallContext ctx) { throw new UnsupportedOperationException(); }
    @Override public Future<ChatStream> stream(String model, ChatRequest request, CallContext ctx, Handler<StreamEvent> events) { throw new UnsupportedOperationException(); }
    @Override public Future<ProbeResult> probe(CallContext ctx) { throw new UnsupportedOperationException(); }
    @Override public void close() {}
  }
}
