package dev.salesagent.router.execution;

import static dev.salesagent.router.execution.EmulatorHarness.await;
import static dev.salesagent.router.execution.EmulatorHarness.awaitFailure;
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
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamControl;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.routing.Target;
import io.vertx.core.Future;
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
    await(rt.router().stream(qualification(), new EmulatorHarness.Collector()));
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
    assertTrue(failedAfterMs < 500, "the routed future fails promptly: " + failedAfterMs + " ms");
    assertEquals(0, afterCancel.get(), "no event reaches the observer after cancel()");
    assertEquals(List.of("cerebras:interrupted"), outcomes(e.attempts()));

    Thread.sleep(300); // anything that would follow (a continuation, a fallback) would have started by now
    assertEquals(1, h.emulator.stats().requests("openai", "gpt-oss-120b"));
    assertEquals(1, h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic"), "no other attempt");
    assertEquals(1, h.usage.size());
    assertEquals("interrupted", h.usage.get(0).outcome());
    assertTrue(h.usage.get(0).streamed());
    assertEquals("closed", cerebras(rt).circuit(), "a cancel is not the provider's fault");
    assertEquals(1.0, h.registry.get("sales_agent_attempts").tag("outcome", "interrupted").counter().count(), 0.0);
    double reserved = await(rt.budgets().snapshot(null)).scopes().get(0).reservedUsd();
    assertEquals(0.0, reserved, 1e-12, "the reservation was settled or released");
  }

  @Test
  void cancelDuringARetryBackoffMakesNoFurtherAttempt() throws Exception {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(1));
    RouterRuntime rt = h.start(TOUCHY_CIRCUIT, null);
    // a 429 with Retry-After 1 s: the router waits a second before trying cerebras again
    h.emulator.faults().nextForModel("gpt-oss-120b", Fault.RATE_LIMIT, 1);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    UnifiedRouter.ControlledStream s = ((UnifiedRouter) rt.router()).streamWithControl(qualification(), c);
    long t0 = System.nanoTime();
    while (h.usage.isEmpty() && System.nanoTime() - t0 < 5_000_000_000L) Thread.sleep(5);
    assertEquals(1, h.usage.size(), "the first attempt failed");
    assertEquals("rate_limited", h.usage.get(0).outcome());
    long cancelAt = System.nanoTime();
    s.control().cancel(); // from a foreign thread, while the retry waits
    LlmException e = (LlmException) awaitFailure(s.future());
    assertTrue((System.nanoTime() - cancelAt) / 1_000_000 < 300, "the request stops at once, not after the backoff");
    assertEquals(ErrorKind.INTERRUPTED, e.kind());
    assertEquals("cancelled", e.providerErrorType());
    assertEquals(List.of("cerebras:rate_limited"), outcomes(e.attempts()));

    Thread.sleep(1500); // past the backoff
    assertEquals(1, h.emulator.stats().requests("openai", "gpt-oss-120b"), "no retry");
    assertEquals(1, h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic"), "no fallback");
    assertEquals(1, h.usage.size());
    assertEquals(0, c.starts);
    assertTrue(c.text.isEmpty());
  }

  @Test
  void cancelBeforeTheRequestStartedCallsNothing() throws Exception {
    // A slow first token: the cancel hops onto the request's context, and an instant upstream could finish first.
    h = new EmulatorHarness(EmulatorOptions.defaults().withLatency(1_000));
    RouterRuntime rt = h.start(null, null);
    EmulatorHarness.Collector c = new EmulatorHarness.Collector();
    UnifiedRouter.ControlledStream s = ((UnifiedRouter) rt.router()).streamWithControl(qualification(), c);
    s.control().cancel();
    LlmException e = (LlmException) awaitFailure(s.future());
    assertEquals(ErrorKind.INTERRUPTED, e.kind());
    assertEquals("cancelled", e.providerErrorType());
    Thread.sleep(200);
    // at most the one call that may have gone out before the cancel arrived, and never a second
    assertTrue(h.emulator.stats().total("openai") + h.emulator.stats().total("anthropic") <= 1);
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
    RoutedResponse r = await(rt.router().stream(qualification(), c));
    control[0].cancel();
    assertEquals(List.of("cerebras:ok"), outcomes(r.attempts()));
    assertEquals(1, h.usage.size());
    assertEquals("ok", h.usage.get(0).outcome());
  }
}
