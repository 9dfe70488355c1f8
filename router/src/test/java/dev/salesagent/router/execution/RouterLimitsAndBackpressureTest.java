package dev.salesagent.router.execution;

import static dev.salesagent.router.execution.EmulatorHarness.await;
import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamControl;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.routing.Target;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouterLimitsAndBackpressureTest {
  EmulatorHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) h.close();
  }

  static RouteRequest pinnedCerebras(String id) {
    return new RouteRequest(id, ChatRequest.user("Score this lead " + id), "qualification", null, "cerebras", null, null, null);
  }

  @Test
  void bulkheadQueuesInsteadOfFailing() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withLatency(150));
    RouterRuntime rt = h.start("providers:\n  cerebras: {max_concurrency: 1}\n", null);
    long t0 = System.nanoTime();
    List<Future<RoutedResponse>> fs = new ArrayList<>();
    for (int i = 0; i < 3; i++) fs.add(rt.router().chat(pinnedCerebras("b" + i)));
    for (Future<RoutedResponse> f : fs) assertEquals("ok", await(f).attempts().get(0).outcome());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 400, "three 150 ms calls one at a time: " + ms + " ms");
  }

  @Test
  void clientSideRpmSpacesCallsInsteadOfEarning429s() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    RouterRuntime rt = h.start("providers:\n  cerebras: {rpm: 120}\n", null);
    long t0 = System.nanoTime();
    List<Future<RoutedResponse>> fs = new ArrayList<>();
    for (int i = 0; i < 4; i++) fs.add(rt.router().chat(pinnedCerebras("r" + i)));
    for (Future<RoutedResponse> f : fs) assertEquals(1, await(f).attempts().size());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 500, "2 calls per second: the last two waited for the next second, took " + ms + " ms");
    assertEquals(4, h.emulator.stats().requests("openai", "gpt-oss-120b"));
  }

  @Test
  void pauseReachesTheUpstreamAndAPausedStreamIsNotAStall() {
    h = new EmulatorHarness(EmulatorOptions.defaults().withInterTokenDelay(2));
    // A pause of 2.5 s against idle_ms 1 s: long enough to be a stall if pausing were not understood, while the gaps of
    // a stream that flows stay far below 1 s even on a busy machine.
    RouterRuntime rt = h.start("resilience:\n  timeouts: {idle_ms: 1000}\n", null);
    AtomicInteger events = new AtomicInteger();
    AtomicInteger atResume = new AtomicInteger(-1);
    StringBuilder text = new StringBuilder();
    StreamObserver obs = new StreamObserver() {
      @Override
      public void onStart(Target target, StreamControl control) {
        control.pause();
        h.vertx.setTimer(2500, id -> {
          atResume.set(events.get());
          control.resume();
        });
      }

      @Override
      public void onEvent(StreamEvent event) {
        events.incrementAndGet();
        if (event instanceof StreamEvent.TextDelta td) text.append(td.text());
      }
    };
    RoutedResponse r = await(rt.router().startStream(pinnedCerebras("p1"), obs));
    assertEquals(1, r.attempts().size(), "a client pause longer than idle_ms is not a stall");
    assertEquals(r.response().text(), text.toString());
    assertTrue(atResume.get() >= 0 && atResume.get() < events.get() / 2,
        "reading stopped while paused: " + atResume.get() + " of " + events.get() + " events before resume");
  }

  @Test
  void autoTaskIsClassifiedAndExplained() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    RouterRuntime rt = h.start(null, null);
    RoutedResponse r = await(rt.router().startChat(RouteRequest.of("a1",
        ChatRequest.user("Research the company Acme: competitors, market and recent funding news"))));
    assertEquals("research", r.task());
    assertNotNull(r.taskReason());
    assertTrue(r.taskReason().startsWith("research scored"), r.taskReason());
    assertEquals("deepseek", r.response().provider(), "research chain starts with deepseek");
    RoutedResponse viaModel = await(rt.router().startChat(new RouteRequest("a2", ChatRequest.user("hi"), null, null, null,
        "task:content", null, null)));
    assertEquals("content", viaModel.task());
    assertEquals("anthropic", viaModel.response().provider());
  }
}
