package dev.salesagent.router.execution;

import static dev.salesagent.router.execution.EmulatorHarness.awaitFailure;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.emulator.Fault;
import dev.salesagent.router.ProviderStatus;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.model.Attempt;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedCall;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamControl;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.routing.Target;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link StreamControl#cancel()}: the caller went away, so the upstream stops and nothing follows it. */
class RouterCancellationTest {
  static final String PROMPT = RouterStreamingTest.PROMPT;
  /** One failure counted against a circuit would open it: these tests show a cancel is not counted. */
  static final String TOUCHY_CIRCUIT = """
      resilience:
        circuit_breaker: {failure_rate_percent: 50, minimum_calls: 1, open_ms: 5000, half_open_calls: 1, window_size: 1}
      """;
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

  ProviderStatus.TargetStatus cerebras(RouterRuntime rt) {
    return rt.providers().stream().filter(p -> p.name().equals("cerebras")).findFirst().orElseThrow().models().get(0);
  }

  @Test
  void cancelMidStreamStopsTheUpstreamAndRecordsOneInterruptedAttempt() throws Exception {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(40));
    RouterRuntime rt = h.start(TOUCHY_CIRCUIT, null);
    // how long the whole answer takes to stream, for comparison
    long fullStart = System.nanoTime();
    EmulatorHarness.await(rt.router().startStream(qualification(), new EmulatorHarness.Collector()));
    long fullMs = (System.nanoTime() - fullStart) / 1_000_000;
    assertTrue(fullMs > 1500, "the answer streams slowly enough to cancel in its middle: " + fullMs + " ms");
    h.usage.clear();
    h.emulator.stats().reset();

    AtomicInteger events = new AtomicInteger();
    AtomicInteger afterCancel = new AtomicInteger();
    long[] cancelledAt = new long[1];
    StreamObserver o = new StreamObserver() {
      StreamControl control;

      @Override
      public void onStart(Target target, StreamControl control) {
        this.control = control;
      }

      @Override
      public void onEvent(StreamEvent event) {
        if (cancelledAt[0] != 0) {
          afterCancel.incrementAndGet();
          return;
        }
        if (events.incrementAndGet() == 3) {
          cancelledAt[0] = System.nanoTime();
          control.cancel(); // on the request's context, from inside the delivery of an event
        }
      }
    };
    Future<RoutedResponse> f = rt.router().stream(qualification(), o);
    LlmException e = (LlmException) awaitFailure(f);
    long failedAfterMs = (System.nanoTime() - cancelledAt[0]) / 1_000_000;
    assertEquals(ErrorKind.INTERRUPTED, e.kind());
    assertEquals("cancelled", e.providerErrorType());
    assertTrue(e.getMessage().contains("cancelled by the caller"), e.getMessage());
    // what was left of the stream takes over 1.3 s (> 30 more tokens 40 ms apart): failing within 1 s is failing at once
    assertTrue(failedAfterMs < 1000, "the routed future fails promptly: " + failedAfterMs + " ms");
    assertEquals(0, afterCancel.get(), "no event reaches the observer after cancel()");
    assertEquals(List.of("cerebras:interrupted"), outcomes(e.attempts()));

    // anything that would follow (a continuation, a fallback) would have started by now
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() ->
        h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic") == 1);
    assertEquals(1, h.emulator.stats().requests("openai", "gpt-oss-120b"));
    assertEquals(1, h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic"), "no other attempt");
    assertEquals(1, h.usage.size());
    assertEquals("interrupted", h.usage.get(0).outcome());
    assertTrue(h.usage.get(0).streamed());
    assertEquals("closed", cerebras(rt).circuit(), "a cancel is not the provider's fault");
    assertEquals(1.0, h.registry.get("sales_agent_attempts").tag("outcome", "interrupted").counter().count(), 0.0);
    double reserved = EmulatorHarness.await(rt.budgets().snapshot(null)).scopes().get(0).reservedUsd();
    assertEquals(0.0, reserved, 1e-12, "the reservation was settled or released");
  }

  @Test
  void cancelDuringARetryBackoffMakesNoFurtherAttempt() throws Exception {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start(TOUCHY_CIRCUIT, null);
    // a 429 with Retry-After 3 s: the router waits that long before trying cerebras again (long enough that the cancel
    // surely lands inside the wait, even when a busy machine is slow to notice the first failure)
    h.emulator.faults().retryAfterSeconds(3).nextForModel("gpt-oss-120b", Fault.RATE_LIMIT, 1);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    RoutedCall s = rt.router().startStream(qualification(), c);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> !h.usage.isEmpty());
    assertEquals(1, h.usage.size(), "the first attempt failed");
    assertEquals("rate_limited", h.usage.get(0).outcome());
    long cancelAt = System.nanoTime();
    s.cancel(); // from a foreign thread, while the retry waits
    LlmException e = (LlmException) awaitFailure(s.result());
    long stoppedAfterMs = (System.nanoTime() - cancelAt) / 1_000_000;
    assertTrue(stoppedAfterMs < 1500, "the request stops at once, not after the 3 s backoff: " + stoppedAfterMs + " ms");
    assertEquals(ErrorKind.INTERRUPTED, e.kind());
    assertEquals("cancelled", e.providerErrorType());
    assertEquals(List.of("cerebras:rate_limited"), outcomes(e.attempts()));

    // past the backoff: a retry timer left behind would have fired by now
    await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(30)).until(() ->
        h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic") == 1);
    assertEquals(1, h.emulator.stats().requests("openai", "gpt-oss-120b"), "no retry");
    assertEquals(1, h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic"), "no fallback");
    assertEquals(1, h.usage.size());
    assertEquals(0, c.starts);
    assertTrue(c.text.isEmpty());
    assertReleased(rt);
  }

  /** A request that slows at its first token (or never answers): long enough that only a cancel can end it early. */
  static final String PATIENT = """
      resilience:
        timeouts: {connect_ms: 5000, first_token_ms: 40000, idle_ms: 40000, total_ms: 50000}
      """;
  /** The upstream's time to its first token in the tests below: far longer than the 10 s they give a cancel. */
  static final int SLOW_UPSTREAM_MS = 20_000;

  /** The emulator, with Cerebras reached through a relay that shows when the router closes its connection. */
  UpstreamConnections relayCerebras() {
    UpstreamConnections up = new UpstreamConnections(h.vertx, h.emulator.port());
    h.envOverrides.put("CEREBRAS_BASE_URL", "http://127.0.0.1:" + up.port() + "/openai");
    return up;
  }

  /** The bulkhead slot is back and no reservation is left open. */
  void assertReleased(RouterRuntime rt) {
    var cerebras = java.util.Arrays.stream(rt.state().providers()).filter(p -> p.name().equals("cerebras")).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(30)).until(() -> cerebras.slots.available() == cerebras.slots.max());
    await().atMost(Duration.ofSeconds(30)).until(() ->
        EmulatorHarness.await(rt.budgets().snapshot(null)).scopes().get(0).reservedUsd() == 0.0);
  }

  /**
   * The caller leaves while the upstream is still producing its first token (it answered 200 at once): the upstream
   * connection closes, nothing is tried after, the slot and reservation come back, and the attempt is recorded as
   * cancelled and charged the prompt estimate — the provider accepted the request.
   */
  @Test
  void cancelDuringASlowFirstTokenClosesTheUpstreamConnection() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withLatency(SLOW_UPSTREAM_MS));
    try (UpstreamConnections up = relayCerebras()) {
      RouterRuntime rt = h.start(PATIENT, null);
      EmulatorHarness.Collector c = new EmulatorHarness.Collector();
      RoutedCall call = rt.router().startStream(qualification(), c);
      await().atMost(Duration.ofSeconds(10)).until(() -> h.emulator.stats().requests("openai", "gpt-oss-120b") == 1);
      assertEquals(1, up.openCalls());

      call.cancel(); // from the test thread, before any content
      LlmException e = (LlmException) awaitFailure(call.result());
      assertEquals(ErrorKind.INTERRUPTED, e.kind());
      assertEquals("cancelled", e.providerErrorType());
      await().atMost(Duration.ofSeconds(10)).until(() -> up.openCalls() == 0); // the answer would take 20 s
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() ->
          h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic") == 1);
      assertEquals(List.of("cerebras:interrupted"), outcomes(e.attempts()));
      assertEquals(0, c.starts);
      assertReleased(rt);
      assertEquals(1, h.usage.size());
      assertEquals("interrupted", h.usage.get(0).outcome());
      assertTrue(h.usage.get(0).usageEstimated(), "charged the prompt estimate, flagged");
      assertEquals(0, h.usage.get(0).outputTokens());
      assertTrue(h.usage.get(0).costUsd() > 0);
      assertEquals("closed", cerebras(rt).circuit(), "a cancel is not the provider's fault");
    }
  }

  /** No response headers yet (the upstream sends nothing): the cancel aborts the HTTP request itself. */
  @Test
  void cancelWhileWaitingForResponseHeadersAbortsTheCall() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    try (UpstreamConnections up = relayCerebras()) {
      RouterRuntime rt = h.start(PATIENT, null);
      h.emulator.faults().nextForModel("gpt-oss-120b", Fault.TIMEOUT, 1);
      RoutedCall call = rt.router().startStream(qualification(), new EmulatorHarness.Collector());
      await().atMost(Duration.ofSeconds(10)).until(() -> h.emulator.stats().requests("openai", "gpt-oss-120b") == 1);
      call.cancel();
      LlmException e = (LlmException) awaitFailure(call.result());
      assertEquals("cancelled", e.providerErrorType());
      await().atMost(Duration.ofSeconds(10)).until(() -> up.openCalls() == 0); // without the abort it stays open until first_token_ms (40 s)
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() ->
          h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic") == 1);
      assertReleased(rt);
      assertEquals(1, h.usage.size());
      assertEquals("interrupted", h.usage.get(0).outcome());
    }
  }

  /** A non-streaming call is cancellable too: its upstream request is aborted, no fallback follows. */
  @Test
  void cancelAPlainCallClosesTheUpstreamConnection() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withLatency(SLOW_UPSTREAM_MS));
    try (UpstreamConnections up = relayCerebras()) {
      RouterRuntime rt = h.start(PATIENT, null);
      RoutedCall call = rt.router().startChat(qualification());
      await().atMost(Duration.ofSeconds(10)).until(() -> h.emulator.stats().requests("openai", "gpt-oss-120b") == 1);
      call.cancel();
      call.cancel(); // idempotent
      LlmException e = (LlmException) awaitFailure(call.result());
      assertEquals(ErrorKind.INTERRUPTED, e.kind());
      assertEquals("cancelled", e.providerErrorType());
      assertTrue(e.getMessage().contains("call cancelled by the caller"), e.getMessage());
      await().atMost(Duration.ofSeconds(10)).until(() -> up.openCalls() == 0); // the answer would take 20 s
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() ->
          h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic") == 1);
      assertReleased(rt);
      assertEquals(1, h.usage.size());
      var row = h.usage.get(0);
      assertEquals("interrupted", row.outcome());
      assertFalse(row.streamed());
      assertTrue(row.usageEstimated(), "the provider had the prompt: charged its estimate, flagged");
      assertEquals(0, row.outputTokens());
      assertTrue(row.costUsd() > 0);
    }
  }

  /**
   * Queued behind a full bulkhead, then cancelled: the request leaves the queue at once, never takes the slot when it
   * frees, calls nothing (no fallback either), and holds no permit or reservation.
   */
  @Test
  void cancelWhileQueuedForASlotLeavesTheQueue() {
    // the first call holds the slot 10 s: the waits and the cancel below fit in that on a busy machine too
    h = new EmulatorHarness(EmulatorOptions.defaults().withLatency(10_000));
    RouterRuntime rt = h.start(PATIENT + "providers:\n  cerebras: {max_concurrency: 1}\n", null);
    var cerebras = java.util.Arrays.stream(rt.state().providers()).filter(p -> p.name().equals("cerebras")).findFirst().orElseThrow();
    RoutedCall first = rt.router().startChat(qualification());
    await().atMost(Duration.ofSeconds(10)).until(() -> h.emulator.stats().requests("openai", "gpt-oss-120b") == 1);
    RoutedCall queued = rt.router().startChat(qualification());
    await().atMost(Duration.ofSeconds(10)).until(() -> cerebras.slots.waiting() == 1);

    queued.cancel();
    LlmException e = (LlmException) awaitFailure(queued.result());
    assertEquals(ErrorKind.INTERRUPTED, e.kind());
    assertEquals("cancelled", e.providerErrorType());
    assertEquals(List.of(), e.attempts(), "it never called");
    assertEquals(0, cerebras.slots.waiting(), "out of the queue at once");

    RoutedResponse r = EmulatorHarness.await(first.result());
    assertEquals(List.of("cerebras:ok"), outcomes(r.attempts()));
    assertReleased(rt);
    assertEquals(1, h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic"), "only the first call went out");
    assertEquals(1, h.usage.size());
    assertEquals("closed", cerebras(rt).circuit());
  }

  @Test
  void cancelBeforeTheRequestStartedCallsNothing() throws Exception {
    // A slow first token: the cancel hops onto the request's context, and an instant upstream could finish first
    // (10 s, so that not even a busy machine's slow hop lets the answer win).
    h = new EmulatorHarness(EmulatorOptions.defaults().withLatency(10_000));
    RouterRuntime rt = h.start(null, null);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    RoutedCall s = rt.router().startStream(qualification(), c);
    s.cancel();
    LlmException e = (LlmException) awaitFailure(s.result());
    assertEquals(ErrorKind.INTERRUPTED, e.kind());
    assertEquals("cancelled", e.providerErrorType());
    // at most the one call that may have gone out before the cancel arrived, and never a second
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() ->
        h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic") <= 1);
    assertEquals(0, c.starts);
  }

  @Test
  void cancelAfterTheStreamEndedChangesNothing() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start(null, null);
    StreamControl[] control = new StreamControl[1];
    StreamObserver c = new StreamObserver() {
      @Override
      public void onStart(Target target, StreamControl ctl) {
        control[0] = ctl;
      }

      @Override
      public void onEvent(StreamEvent event) {}
    };
    RoutedResponse r = EmulatorHarness.await(rt.router().startStream(qualification(), c));
    control[0].cancel();
    assertEquals(List.of("cerebras:ok"), outcomes(r.attempts()));
    assertEquals(1, h.usage.size());
    assertEquals("ok", h.usage.get(0).outcome());
  }
}
