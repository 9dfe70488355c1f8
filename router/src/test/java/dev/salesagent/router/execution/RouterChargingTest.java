package dev.salesagent.router.execution;

import static dev.salesagent.router.execution.EmulatorHarness.await;
import static dev.salesagent.router.execution.EmulatorHarness.awaitFailure;
import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.budget.BudgetSnapshot;
import dev.salesagent.router.classify.TaskClassifier;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.metrics.RouterMetrics;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.routing.RouteHints;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.strategy.TargetRef;
import dev.salesagent.router.tokens.TokenEstimator;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an attempt that ends without a complete usage report is charged: the estimate (input from the prompt estimate
 * admission reserved for, output from what the attempt received) when the provider accepted the request, flagged as
 * estimated in the ledger and metered apart; nothing when the provider refused it. Reported usage stays exact.
 */
class RouterChargingTest {
  static final String PROMPT = RouterStreamingTest.PROMPT;
  /** Claude without continuation: a cut Anthropic stream then ends the request, one attempt, one row. */
  static final String CLAUDE_CANNOT_CONTINUE = """
      providers:
        anthropic:
          models:
            claude-sonnet-4-5: {context_window: 200000, input_usd_per_mtok: 3, output_usd_per_mtok: 15, capabilities: [json, tools]}
      """;
  EmulatorHarness h;

  @BeforeAll
  static void exactTokenCounts() {
    assertTrue(TokenEstimator.defaultEstimator().awaitReady(30_000), "the tokenizer's vocabulary loads");
  }

  @AfterEach
  void tearDown() {
    if (h != null) h.close();
  }

  static RouteRequest pinned(String provider) {
    return new RouteRequest(UUID.randomUUID().toString(), ChatRequest.user(PROMPT), "qualification", null, provider, null,
        RouteHints.NONE, null);
  }

  static BudgetSnapshot.Scope global(RouterRuntime rt) {
    return await(rt.budgets().snapshot(null)).scopes().get(0);
  }

  /** The prompt estimate the router reserves for (and charges when the provider reports no input). */
  static int promptEstimate(RouterRuntime rt, RouteRequest r) {
    return new RequestPlanner(rt.state(), TokenEstimator.defaultEstimator(), TaskClassifier.fromConfig(rt.state().config())).plan(r, true).input().estimatedInputTokens();
  }

  static TargetRef only(RouterRuntime rt, RouteRequest r) {
    var plan = ((UnifiedRouter) rt.router()).plan(r);
    assertEquals(1, plan.size(), "a pinned request has one target");
    return plan.get(0);
  }

  @Test
  void cutOpenAiStreamIsChargedTheEstimateAndFlagged() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start(null, null);
    RouteRequest r = pinned("cerebras");
    TargetRef t = only(rt, r);
    h.emulator.faults().nextForModel("gpt-oss-120b", Fault.STREAM_CUT, 1);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    LlmException e = (LlmException) awaitFailure(rt.router().startStream(r, c));
    assertEquals(ErrorKind.INTERRUPTED, e.kind());
    assertFalse(c.text.isEmpty(), "half the answer was delivered before the cut");

    assertEquals(1, h.usage.size());
    UsageRecord row = h.usage.get(0);
    assertEquals("interrupted", row.outcome());
    assertTrue(row.usageEstimated(), "the provider reported nothing: the row says its usage is estimated");
    assertEquals(promptEstimate(rt, r), row.inputTokens(), "input: the prompt estimate admission reserved for");
    assertEquals(TokenEstimator.defaultEstimator().count(c.text.toString()), row.outputTokens(),
        "output: the tokens of the text received before the cut");
    double expected = t.spec().costUsd(row.inputTokens(), 0, row.outputTokens());
    assertTrue(expected > 0);
    assertEquals(expected, row.costUsd(), 1e-15);

    BudgetSnapshot.Scope g = global(rt);
    assertEquals(expected, g.spentUsd(), 1e-12, "the budget is charged the estimate, not $0");
    assertEquals(0.0, g.reservedUsd(), 1e-12);
    assertEquals(expected, h.registry.get(RouterMetrics.ESTIMATED_COST).counter().count(), 1e-12);
    assertNull(h.registry.find(RouterMetrics.TOKEN_USAGE).summary(), "estimates are not metered as reported tokens");
    assertNull(h.registry.find(RouterMetrics.COST).counter(), "nor as the cost of reported usage");
  }

  @Test
  void cutAnthropicStreamKeepsTheReportedInputAndEstimatesTheOutput() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start(CLAUDE_CANNOT_CONTINUE, null);
    RouteRequest r = pinned("anthropic");
    TargetRef t = only(rt, r);
    await(rt.router().startStream(pinned("anthropic"), new EmulatorHarness.Collector()));
    UsageRecord whole = h.usage.get(0);
    assertFalse(whole.usageEstimated(), "a complete answer is charged what the provider reported");
    h.usage.clear();
    double spentBefore = global(rt).spentUsd();
    assertEquals(t.spec().costUsd(whole.inputTokens(), 0, whole.outputTokens()), spentBefore, 1e-12);

    // message_start reported the input; the cut came before message_delta would have reported the output
    h.emulator.faults().nextForModel(t.model(), Fault.STREAM_CUT, 1);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    LlmException e = (LlmException) awaitFailure(rt.router().startStream(r, c));
    assertEquals(ErrorKind.INTERRUPTED, e.kind());
    assertEquals(1, h.usage.size());
    UsageRecord row = h.usage.get(0);
    assertTrue(row.usageEstimated());
    assertEquals(whole.inputTokens(), row.inputTokens(), "the reported input is kept as reported");
    int received = TokenEstimator.defaultEstimator().count(c.text.toString());
    assertTrue(received > 1 && received < whole.outputTokens(), "half an answer: " + received);
    assertEquals(received, row.outputTokens(), "the output is estimated from what arrived");
    double expected = t.spec().costUsd(row.inputTokens(), 0, row.outputTokens());
    assertEquals(expected, row.costUsd(), 1e-15);
    assertEquals(spentBefore + expected, global(rt).spentUsd(), 1e-12);
    assertEquals(0.0, global(rt).reservedUsd(), 1e-12);
  }

  @Test
  void refusedOrUnreachableAttemptsCostNothing() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start("""
        resilience:
          max_retries: 0
          circuit_breaker: {failure_rate_percent: 50, minimum_calls: 100, open_ms: 1000, half_open_calls: 1, window_size: 100}
        """, null);
    // an error status (503), a connection closed without an answer, a 400: the provider billed none of them
    for (Fault f : new Fault[] {Fault.OVERLOADED, Fault.RESET, Fault.BAD_REQUEST}) {
      h.emulator.faults().nextForModel("gpt-oss-120b", f, 1);
      awaitFailure(rt.router().startStream(pinned("cerebras"), new EmulatorHarness.Collector()));
      h.emulator.faults().nextForModel("gpt-oss-120b", f, 1);
      awaitFailure(rt.router().startChat(pinned("cerebras")));
    }
    assertEquals(6, h.usage.size());
    for (UsageRecord row : h.usage) {
      assertEquals(0.0, row.costUsd(), 0.0, row.toString());
      assertFalse(row.usageEstimated(), row.toString());
      assertNull(row.inputTokens(), row.toString());
    }
    assertEquals(0.0, global(rt).spentUsd(), 0.0);
    assertEquals(0.0, global(rt).reservedUsd(), 1e-12);
  }

  @Test
  void reportedUsageStaysExact() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start(null, null);
    var streamed = await(rt.router().startStream(pinned("cerebras"), new EmulatorHarness.Collector()));
    var plain = await(rt.router().startChat(pinned("cerebras")));
    assertEquals(2, h.usage.size());
    for (int i = 0; i < 2; i++) {
      UsageRecord row = h.usage.get(i);
      var reported = (i == 0 ? streamed : plain).response().usage();
      assertFalse(row.usageEstimated());
      assertEquals(reported.inputTokens(), row.inputTokens());
      assertEquals(reported.outputTokens(), row.outputTokens());
    }
    assertEquals(0.0, h.registry.find(RouterMetrics.ESTIMATED_COST).counters().stream().mapToDouble(c -> c.count()).sum(), 0.0);
  }
}
