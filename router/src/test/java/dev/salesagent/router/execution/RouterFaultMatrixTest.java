package dev.salesagent.router.execution;

import static dev.salesagent.router.execution.EmulatorHarness.await;
import static dev.salesagent.router.execution.EmulatorHarness.awaitFailure;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault matrix of issue 3, non-streaming part, over a loopback emulator with the real adapters. */
class RouterFaultMatrixTest {
  static final String CEREBRAS = "gpt-oss-120b";
  static final String DEEPSEEK = "deepseek-flash";

  EmulatorHarness h;

  @BeforeEach
  void setUp() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  static RouteRequest qualification(String prompt) {
    return RouteRequest.of(UUID.randomUUID().toString(), ChatRequest.user(prompt)).withTask("qualification");
  }

  static List<String> outcomes(List<Attempt> attempts) {
    return attempts.stream().map(a -> a.provider() + ":" + a.outcome()).toList();
  }

  @Test
  void rateLimitWithRetryAfterThenSuccess() {
    RouterRuntime rt = h.start(null, null);
    h.emulator.faults().retryAfterSeconds(1).nextForModel(CEREBRAS, Fault.RATE_LIMIT, 1);
    long t0 = System.nanoTime();
    RoutedResponse r = await(rt.router().startChat(qualification("Score this lead: CTO at Acme")));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(List.of("cerebras:rate_limited", "cerebras:ok"), outcomes(r.attempts()));
    assertEquals(429, r.attempts().get(0).status());
    assertTrue(ms >= 900, "waited for Retry-After, took " + ms + " ms");
    assertEquals("cerebras", r.response().provider());
    assertFalse(r.response().text().isEmpty());
  }

  @Test
  void retryAfterBeyondDeadlineGivesUpOnTargetAtOnce() {
    // A 30 s Retry-After against a 20 s deadline: waiting for it would take 20 s or fail the request. Giving up at once
    // takes a few milliseconds; the bound below is half the deadline, so a busy machine cannot make it fail.
    RouterRuntime rt = h.start("resilience:\n  timeouts: {total_ms: 20000}\n", null);
    h.emulator.faults().retryAfterSeconds(30).nextForModel(CEREBRAS, Fault.RATE_LIMIT, 1);
    long t0 = System.nanoTime();
    RoutedResponse r = await(rt.router().startChat(qualification("Score this lead")));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(List.of("cerebras:rate_limited", "deepseek:ok"), outcomes(r.attempts()));
    assertTrue(ms < 10_000, "did not wait for a Retry-After past the deadline: " + ms + " ms");
  }

  @Test
  void repeatedOverloadOpensCircuitThenHalfOpenProbeClosesIt() throws Exception {
    RouterRuntime rt = h.start("""
        resilience:
          max_retries: 0
          circuit_breaker: {failure_rate_percent: 50, minimum_calls: 3, open_ms: 3000, half_open_calls: 1, window_size: 3}
        """, null);
    // open_ms is long enough that the circuit is surely still open for the checks right after it opened (a busy
    // machine can take a second over them); the half-open probe then waits for the plan to offer cerebras again.
    h.emulator.faults().nextForModel(CEREBRAS, Fault.OVERLOADED, 3);
    for (int i = 0; i < 3; i++) {
      RoutedResponse r = await(rt.router().startChat(qualification("lead " + i)));
      assertEquals(List.of("cerebras:overloaded", "deepseek:ok"), outcomes(r.attempts()));
    }
    RoutedResponse skipped = await(rt.router().startChat(qualification("lead 4")));
    assertEquals(List.of("deepseek:ok"), outcomes(skipped.attempts()), "open circuit: the plan skips cerebras");
    String explain = rt.unifiedRouter().plan(qualification("x")).explain();
    assertTrue(explain.contains("cerebras/gpt-oss-120b (circuit open"), explain);
    assertEquals(3, h.emulator.stats().requests("openai", CEREBRAS));
    assertEquals("open", rt.providers().stream().filter(p -> p.name().equals("cerebras")).findFirst().orElseThrow().models().get(0).circuit());
    await().atMost(Duration.ofSeconds(30)).until(() -> !rt.unifiedRouter().plan(qualification("x")).explain().contains("circuit open"));
    RoutedResponse probe = await(rt.router().startChat(qualification("lead 5")));
    assertEquals(List.of("cerebras:ok"), outcomes(probe.attempts()), "half-open probe call succeeded");
    assertEquals("closed", rt.providers().stream().filter(p -> p.name().equals("cerebras")).findFirst().orElseThrow().models().get(0).circuit());
  }

  @Test
  void hungUpstreamFallsBackWithinTheDeadline() {
    // Only the hung provider has a short first-token timeout: the fallback keeps the harness's generous one, so a slow
    // (busy) machine cannot time out the answer the test expects.
    RouterRuntime rt = h.start("""
        resilience:
          timeouts: {total_ms: 20000}
        providers:
          cerebras: {timeouts: {first_token_ms: 400, idle_ms: 400}}
        """, null);
    h.emulator.faults().nextForModel(CEREBRAS, Fault.TIMEOUT, 1);
    long t0 = System.nanoTime();
    RoutedResponse r = await(rt.router().startChat(qualification("Score this lead")));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(List.of("cerebras:timeout", "deepseek:ok"), outcomes(r.attempts()), "timeout is failed over, not retried");
    assertTrue(r.attempts().get(0).latencyMs() >= 400, "waited first_token_ms for the hung upstream: " + r.attempts().get(0).latencyMs());
    assertTrue(ms < 20_000, "within the deadline: " + ms + " ms");
  }

  @Test
  void badRequestIsNeitherRetriedNorFallenBack() {
    RouterRuntime rt = h.start(null, null);
    h.emulator.faults().nextForModel(CEREBRAS, Fault.BAD_REQUEST, 1);
    LlmException e = (LlmException) awaitFailure(rt.router().startChat(qualification("Score this lead")));
    assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
    assertEquals(List.of("cerebras:invalid_request"), outcomes(e.attempts()));
    assertEquals(0, h.emulator.stats().requests("openai", DEEPSEEK));
    assertNotNull(e.requestId());
    assertEquals("qualification", e.task());
    assertEquals("cerebras", e.provider());
    assertEquals(CEREBRAS, e.model());
  }

  @Test
  void contextLengthFallsBackToALargerContextTarget() {
    RouterRuntime rt = h.start("tasks:\n  parsing: {chain: [cerebras/gpt-oss-120b, ollama/llama3.2, deepseek/deepseek-flash]}\n", null);
    h.emulator.faults().nextForModel(CEREBRAS, Fault.CONTEXT_LENGTH, 1);
    RoutedResponse r = await(rt.router().startChat(qualification("Extract the contact").withTask("parsing")));
    assertEquals(List.of("cerebras:invalid_request", "deepseek:ok"), outcomes(r.attempts()),
        "ollama (same 131072 window) is skipped, deepseek (1M) is used");
    assertEquals(0, h.emulator.stats().requests("ollama", "llama3.2"));
  }

  @Test
  void contentFilterRefusalIsNotRetriedAndItsReasonReachesTheCaller() {
    RouterRuntime rt = h.start(null, null);
    h.emulator.faults().nextForModel(CEREBRAS, Fault.CONTENT_FILTERED, 1);
    LlmException e = (LlmException) awaitFailure(rt.router().startChat(qualification("Score this lead")));
    assertEquals(ErrorKind.CONTENT_FILTERED, e.kind());
    assertEquals(1, e.attempts().size());
    assertNotNull(e.getMessage());
    assertFalse(e.getMessage().isBlank());
    assertEquals(1, h.emulator.stats().requests("openai", CEREBRAS));
  }

  @Test
  void allTargetsDownGivesNoRouteWithEveryAttempt() {
    RouterRuntime rt = h.start("resilience:\n  max_retries: 1\n", null);
    h.emulator.faults().always("openai", Fault.OVERLOADED).always("anthropic", Fault.SERVER_ERROR);
    LlmException e = (LlmException) awaitFailure(rt.router().startChat(qualification("Score this lead")));
    assertEquals(ErrorKind.NO_ROUTE, e.kind());
    assertEquals(List.of("cerebras:overloaded", "cerebras:overloaded", "deepseek:overloaded", "deepseek:overloaded",
        "anthropic:upstream_error", "anthropic:upstream_error"), outcomes(e.attempts()));
    assertTrue(e.getMessage().contains("all 3 targets failed"), e.getMessage());
  }

  @Test
  void singleTargetPlanReportsTheTargetsOwnKind() {
    RouterRuntime rt = h.start("resilience:\n  max_retries: 1\n", null);
    h.emulator.faults().always("anthropic", Fault.OVERLOADED);
    RouteRequest pinned = new RouteRequest("r1", ChatRequest.user("hi"), null, null, "anthropic", null, null, null);
    LlmException e = (LlmException) awaitFailure(rt.router().startChat(pinned));
    assertEquals(ErrorKind.OVERLOADED, e.kind());
    assertEquals(2, e.attempts().size());
  }

  @Test
  void usageIsReportedWithCostAtListPrices() {
    RouterRuntime rt = h.start(null, null);
    RoutedResponse r = await(rt.router().startChat(qualification("Score this lead")));
    assertTrue(r.response().usage().isKnown());
    double expected = rt.config().modelSpec(new dev.salesagent.router.routing.Target("cerebras", CEREBRAS))
        .costUsd(r.response().usage().inputOrZero(), r.response().usage().cachedOrZero(), r.response().usage().outputOrZero());
    assertEquals(expected, r.costUsd(), 1e-12);
    assertTrue(r.costUsd() > 0);
    assertEquals(1, h.usage.size());
    assertEquals("ok", h.usage.get(0).outcome());
    assertEquals(r.costUsd(), h.usage.get(0).costUsd(), 1e-12);
    assertTrue(h.registry.get("sales_agent_cost_usd").counter().count() > 0);
    assertEquals(1, h.registry.get("gen_ai.client.operation.duration").tag("gen_ai.provider.name", "cerebras").timer().count());
  }
}
