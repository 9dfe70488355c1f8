package dev.salesagent.router.execution;

import static dev.salesagent.router.execution.EmulatorHarness.await;
import static dev.salesagent.router.execution.EmulatorHarness.awaitFailure;
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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Streams: fallback before the first byte, continuation after it, an explicit error where nothing can continue. */
class RouterStreamingTest {
  static final String PROMPT = "Write a short outreach email to the VP of Sales at Acme about pipeline automation.";
  EmulatorHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) h.close();
  }

  static RouteRequest qualification() {
    return RouteRequest.of(UUID.randomUUID().toString(), ChatRequest.user(PROMPT)).withTask("qualification");
  }

  static List<String> outcomes(List<Attempt> attempts) {
    return attempts.stream().map(a -> a.provider() + ":" + a.outcome()).toList();
  }

  /** The answer the emulator gives to PROMPT when nothing goes wrong (same prompt = same answer on every model). */
  String cleanAnswer(RouterRuntime rt) {
    RoutedResponse r = await(rt.router().startChat(new RouteRequest("clean", ChatRequest.user(PROMPT), null, null, "deepseek", null, null, null)));
    return r.response().text();
  }

  @Test
  void streamHappyPathDeliversDeltasAndBillsTheCall() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start(null, null);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    RoutedResponse r = await(rt.router().startStream(qualification(), c));
    assertEquals(r.response().text(), c.text.toString());
    assertTrue(c.deltas.size() > 1);
    assertEquals("cerebras", c.startedOn.provider());
    assertEquals(1, c.starts);
    assertTrue(r.costUsd() > 0, "a streamed call is billed like any other");
    assertTrue(h.usage.get(0).streamed());
    assertTrue(h.usage.get(0).costUsd() > 0);
    double spent = await(rt.budgets().snapshot(null)).scopes().get(0).spentUsd();
    assertEquals(r.costUsd(), spent, 1e-12);
  }

  @Test
  void streamFailingBeforeItsFirstByteFallsBack() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    RouterRuntime rt = h.start("resilience:\n  max_retries: 0\n", null);
    h.emulator.faults().nextForModel("gpt-oss-120b", Fault.OVERLOADED, 1);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    RoutedResponse r = await(rt.router().startStream(qualification(), c));
    assertEquals(List.of("cerebras:overloaded", "deepseek:ok"), outcomes(r.attempts()));
    assertEquals("deepseek", c.startedOn.provider());
    assertEquals(cleanAnswer(rt), c.text.toString());
  }

  @Test
  void slowFirstTokenFailsOver() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    // The short first-token timeout is cerebras' own: the fallback keeps the harness's 20 s, so a busy machine cannot
    // time it out too. Failing over after 300 ms, not after those 20 s, is what the bound below shows.
    RouterRuntime rt = h.start("""
        resilience:
          max_retries: 0
        providers:
          cerebras: {timeouts: {first_token_ms: 300, idle_ms: 500}}
        """, null);
    h.emulator.faults().nextForModel("gpt-oss-120b", Fault.TIMEOUT, 1);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    long t0 = System.nanoTime();
    RoutedResponse r = await(rt.router().startStream(qualification(), c));
    assertEquals(List.of("cerebras:timeout", "deepseek:ok"), outcomes(r.attempts()));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 10_000, "failed over at cerebras' first_token_ms, not the default: " + ms + " ms");
    assertEquals(cleanAnswer(rt), c.text.toString());
  }

  @Test
  void streamCutAfterContentIsContinuedSeamlessly() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start(null, null);
    h.emulator.faults().nextForModel("gpt-oss-120b", Fault.STREAM_CUT, 1);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    RoutedResponse r = await(rt.router().startStream(qualification(), c));
    assertEquals(List.of("cerebras:interrupted", "deepseek:ok"), outcomes(r.attempts()));
    assertEquals("cerebras", c.startedOn.provider(), "content started on the primary");
    String clean = cleanAnswer(rt);
    assertEquals(clean, c.text.toString(), "the caller sees one seamless answer");
    assertEquals(clean, r.response().text());
    assertEquals(1.0, h.registry.get("sales_agent_continuations").counter().count());
  }

  @Test
  void streamStalledAfterContentIsContinued() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    // cerebras alone has the short idle timeout: the continuation on deepseek must not stall out on a busy machine
    RouterRuntime rt = h.start("providers:\n  cerebras: {timeouts: {idle_ms: 300}}\n", null);
    h.emulator.faults().nextForModel("gpt-oss-120b", Fault.STREAM_STALL, 1);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    RoutedResponse r = await(rt.router().startStream(qualification(), c));
    assertEquals(List.of("cerebras:interrupted", "deepseek:ok"), outcomes(r.attempts()));
    assertEquals(cleanAnswer(rt), c.text.toString());
  }

  @Test
  void streamCutWhereNoTargetCanContinueEndsWithAnError() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start("tasks:\n  qualification: {chain: [cerebras/gpt-oss-120b]}\n", null);
    h.emulator.faults().nextForModel("gpt-oss-120b", Fault.STREAM_CUT, 1);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    LlmException e = (LlmException) awaitFailure(rt.router().startStream(qualification(), c));
    assertEquals(ErrorKind.INTERRUPTED, e.kind());
    assertFalse(c.text.isEmpty(), "partial content was delivered");
    assertTrue(e.getMessage().contains("no target could continue"), e.getMessage());
    assertEquals(1, e.attempts().size(), "no plain retry after content was delivered");
    assertEquals(1, h.emulator.stats().requests("openai", "gpt-oss-120b"));
  }

  @Test
  void pinnedTargetThatCanContinueContinuesItself() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start(null, null);
    // Claude Haiku 4.5 still takes an assistant prefill (Claude 5 models refuse one)
    h.emulator.faults().nextForModel("claude-haiku-4-5", Fault.STREAM_CUT, 1);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    RouteRequest pinned = new RouteRequest("p1", ChatRequest.user(PROMPT), null, null, "anthropic", "claude-haiku-4-5", null, null);
    RoutedResponse r = await(rt.router().startStream(pinned, c));
    assertEquals(List.of("anthropic:interrupted", "anthropic:ok"), outcomes(r.attempts()));
    assertEquals(cleanAnswer(rt), c.text.toString());
  }

  @Test
  void malformedEventNeverReachesTheObserver() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start(null, null);
    h.emulator.faults().nextForModel("gpt-oss-120b", Fault.MALFORMED, 1);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    try {
      await(rt.router().startStream(qualification(), c));
    } catch (RuntimeException ignored) {
      // either ending is acceptable; what matters is what the observer saw
    }
    assertFalse(c.text.toString().contains("{"), "no raw frame text leaked: " + c.text);
    assertTrue(cleanAnswer(rt).startsWith(c.text.toString()), "what was delivered is a prefix of the true answer");
  }
}
