package dev.salesagent.router.strategy;

import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.provider.Capability;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
  static final Map<String, String> KEYS = Map.of("ANTHROPIC_API_KEY", "a", "CEREBRAS_API_KEY", "c", "DEEPSEEK_API_KEY", "d");

  static Planner planner(String yaml, Map<String, String> env) {
    return new Planner(ConfigLoader.loadYaml(yaml, "t.yaml", env));
  }

  /** A state view whose answers tests set. */
  static class FakeState implements StateView {
    final Map<String, String> unusable = new HashMap<>();
    final Map<String, Double> latency = new HashMap<>();
    double budget = Double.POSITIVE_INFINITY;

    @Override public String unusableReason(TargetRef t, long now) { return unusable.get(t.toString()); }
    @Override public double latencyMs(TargetRef t, boolean s) { return latency.getOrDefault(t.toString(), Double.NaN); }
    @Override public double remainingBudgetUsd(String k) { return budget; }
  }

  static PlanInput input(String task, String strategy, int in, int out) {
    return new PlanInput(task, strategy, null, Set.of(), in, out, in + out, null, null, false);
  }

  static List<String> names(RoutePlan p) {
    return p.targets().stream().map(TargetRef::toString).toList();
  }

  @Test
  void taskStrategyFollowsTheChain() {
    Planner p = planner(null, KEYS);
    RoutePlan plan = p.plan(input("qualification", "task", 100, 300), new FakeState());
    assertEquals(List.of("cerebras/gpt-oss-120b", "deepseek/deepseek-flash", "anthropic/claude-haiku-5-5"), names(plan));
    assertTrue(plan.skipped().isEmpty());
    assertEquals("task plan for qualification: [cerebras/gpt-oss-120b, deepseek/deepseek-flash, anthropic/claude-haiku-5-5]", plan.explain());
  }

  @Test
  void costStrategyOrdersByEstimatedCostForTheTokens() {
    Planner p = planner(null, KEYS);
    RoutePlan plan = p.plan(input("content", "cost", 1000, 1000), new FakeState());
    List<String> n = names(plan);
    assertEquals("ollama/llama3.2", n.get(0), "free local model first");
    assertEquals("anthropic/claude-haiku-5-5", n.get(1), "0.10/0.50 -> $0.0006");
    assertEquals("cerebras/gpt-oss-120b", n.get(2), "0.35/0.75 -> $0.0011");
    assertEquals("deepseek/deepseek-flash", n.get(3), "0.30/1.20 -> $0.0015");
    assertEquals("anthropic/claude-opus-4-5", n.get(n.size() - 1));
    for (int i = 1; i < plan.size(); i++) assertTrue(plan.estimatedUsd(i - 1) <= plan.estimatedUsd(i));
    // input-heavy: deepseek's cheaper input wins over cerebras (Haiku 5.5 at its price for prompts up to 100K tokens)
    RoutePlan inputHeavy = p.plan(input("research", "cost", 100_000, 10), new FakeState());
    assertEquals(List.of("ollama/llama3.2", "anthropic/claude-haiku-5-5", "deepseek/deepseek-flash", "cerebras/gpt-oss-120b"),
        names(inputHeavy).subList(0, 4));
  }

  @Test
  void latencyStrategyPrefersTheFastestMeasuredTarget() {
    Planner p = planner(null, KEYS);
    FakeState s = new FakeState();
    s.latency.put("deepseek/deepseek-flash", 120.0);
    s.latency.put("anthropic/claude-haiku-4-5", 80.0);
    RoutePlan plan = p.plan(input("qualification", "latency", 100, 100), s);
    assertEquals(List.of("anthropic/claude-haiku-4-5", "deepseek/deepseek-flash"), names(plan).subList(0, 2));
    assertEquals("anthropic/claude-sonnet-5-5", names(plan).get(2), "unmeasured targets follow in configuration order");
  }

  @Test
  void everySkipHasAReason() {
    Planner p = planner("""
        providers:
          local:
            kind: openai-compatible
            base_url: http://127.0.0.1:1/v1
            models:
              tiny: {context_window: 1000, input_usd_per_mtok: 0, output_usd_per_mtok: 0, capabilities: [json]}
        tasks:
          qualification: {chain: [cerebras/gpt-oss-120b, deepseek/deepseek-flash, anthropic/claude-haiku-4-5, local/tiny, ollama/llama3.2]}
        """, Map.of("ANTHROPIC_API_KEY", "a", "DEEPSEEK_API_KEY", "d"));
    FakeState s = new FakeState() {
      @Override public String unusableReason(TargetRef t, long now) {
        if (!t.provider().configured()) return "unconfigured: " + t.provider().unconfiguredReason();
        return super.unusableReason(t, now);
      }
    };
    s.unusable.put("deepseek/deepseek-flash", "circuit open (half-open probe in 900 ms)");
    s.unusable.put("ollama/llama3.2", "provider down: 3 consecutive failures, last overloaded 503");
    PlanInput in = new PlanInput("qualification", "task", null, Set.of(Capability.TOOLS), 2000, 300, 2300, null, null, false);
    RoutePlan plan = p.plan(in, s);
    assertEquals(List.of("anthropic/claude-haiku-4-5"), names(plan));
    String e = plan.explain();
    assertTrue(e.contains("cerebras/gpt-oss-120b (unconfigured: CEREBRAS_API_KEY is not set)"), e);
    assertTrue(e.contains("deepseek/deepseek-flash (circuit open"), e);
    assertTrue(e.contains("local/tiny (lacks capability tools)"), e);
    assertTrue(e.contains("ollama/llama3.2 (provider down"), e);
    PlanInput big = new PlanInput("qualification", "task", null, Set.of(), 2000, 300, 2300, null, null, false);
    assertTrue(p.plan(big, s).explain().contains("local/tiny (context window 1000 < 2300 tokens needed)"));
    PlanInput capped = new PlanInput("qualification", "task", null, Set.of(), 2000, 300, 2300, 0.000001, null, false);
    assertTrue(p.plan(capped, s).explain().contains("anthropic/claude-haiku-4-5 (estimated $0.003500 exceeds the request's max cost"));
  }

  @Test
  void budgetRefuseKeepsFirstChoiceAndDowngradeReordersByCost() {
    FakeState s = new FakeState();
    s.budget = 0.002;
    PlanInput in = input("content", "task", 1000, 1000);
    RoutePlan refuse = planner("budgets: {policy: refuse}\n", KEYS).plan(in, s);
    assertEquals("anthropic/claude-sonnet-5-5", names(refuse).get(0), "kept so its reservation refuses with the exact budget");
    RoutePlan down = planner("budgets: {policy: downgrade}\n", KEYS).plan(in, s);
    assertEquals(List.of("deepseek/deepseek-flash"), names(down));
    assertTrue(down.explain().contains("anthropic/claude-sonnet-5-5 (budget cannot afford it: estimated $0.012000 > $0.002000 left)"), down.explain());
    assertTrue(down.note().startsWith("budget downgrade"));
  }

  @Test
  void pinnedTargetsResolve() {
    Planner p = planner(null, KEYS);
    assertEquals("anthropic/claude-sonnet-5-5", p.resolvePinned("anthropic", null)[0].toString(), "provider's first model");
    assertEquals("anthropic/claude-haiku-4-5", p.resolvePinned("anthropic", "claude-haiku-4-5")[0].toString());
    assertEquals("deepseek/deepseek-v4-pro", p.resolvePinned(null, "deepseek/deepseek-v4-pro")[0].toString());
    assertEquals("cerebras/gpt-oss-120b", p.resolvePinned(null, "gpt-oss-120b")[0].toString(), "bare model id");
    assertNull(p.resolvePinned(null, "auto"));
    assertNull(p.resolvePinned(null, "task:research"));
    LlmException e = assertThrows(LlmException.class, () -> p.resolvePinned("openai", null));
    assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
    assertTrue(e.getMessage().contains("unknown provider 'openai'"));
    assertTrue(assertThrows(LlmException.class, () -> p.resolvePinned("anthropic", "gpt-4")).getMessage().contains("has no model 'gpt-4'"));
    assertTrue(assertThrows(LlmException.class, () -> p.resolvePinned(null, "nope")).getMessage().contains("unknown model 'nope'"));
    RoutePlan plan = p.plan(new PlanInput("content", "cost", p.resolvePinned("anthropic", null), Set.of(), 10, 10, 20, null, null, false), new FakeState());
    assertEquals("pinned", plan.strategy());
    assertEquals(List.of("anthropic/claude-sonnet-5-5"), names(plan));
  }

  @Test
  void planningWithFiftyTargetsIsCheap() {
    StringBuilder y = new StringBuilder("providers:\n");
    for (int i = 0; i < 10; i++) {
      y.append("  p").append(i).append(":\n    kind: openai-compatible\n    base_url: http://127.0.0.1:1\n    models:\n");
      for (int m = 0; m < 5; m++) {
        y.append("      m").append(m).append(": {context_window: 100000, input_usd_per_mtok: ").append(i + m * 0.1)
            .append(", output_usd_per_mtok: 1, capabilities: [json]}\n");
      }
    }
    Planner p = planner(y.toString(), KEYS);
    RouterConfig c = p.config();
    assertEquals(60, p.targetCount()); // 50 here + the predefined ten (two of them Ollama embedding models)
    PlanInput in = input("qualification", "cost", 500, 300);
    FakeState s = new FakeState();
    for (int i = 0; i < 20_000; i++) p.plan(in, s);
    // The thread's CPU time, not the wall clock: on a busy machine the wall clock also counts the time other
    // processes had the CPU, which says nothing about the planner.
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    assertTrue(threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled(), "this JVM measures thread CPU time");
    long t0 = threads.getCurrentThreadCpuTime();
    int n = 20_000;
    for (int i = 0; i < n; i++) p.plan(in, s);
    double us = (threads.getCurrentThreadCpuTime() - t0) / 1000.0 / n;
    assertTrue(us < 200, "mean planning CPU time (sanity check; JMH PlanBenchmark is the measurement) " + us + " us");
    assertEquals(c.providers().size(), 14);
  }
}
