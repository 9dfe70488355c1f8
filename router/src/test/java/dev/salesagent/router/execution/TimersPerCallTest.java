package dev.salesagent.router.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.routing.RouteRequest;
import dev.salesagent.router.routing.UsageSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How many Vert.x timers one routed call arms, counted on the router's and adapters' {@link Vertx}: each is a scheduled
 * task, a handler and a cancellation on the hot path. The timeouts live once, in the wire layer, so a call arms only
 * the adapter's own (response headers, body deadline and idle; for a stream its first token, deadline and idle).
 */
class TimersPerCallTest {
  static final int CALLS = 20;
  EmulatorHarness h;
  final AtomicInteger timers = new AtomicInteger();

  @AfterEach
  void tearDown() {
    if (h != null) h.close();
  }

  /** The harness's Vert.x with every setTimer/setPeriodic counted (the emulator runs on the real one: not counted). */
  RouterRuntime countingRuntime() {
    h = new EmulatorHarness(EmulatorOptions.defaults());
    Vertx counting = (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(), new Class<?>[] {Vertx.class}, (p, m, args) -> {
      if (m.getName().equals("setTimer") || m.getName().equals("setPeriodic")) timers.incrementAndGet();
      try {
        return m.invoke(h.vertx, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
    // limits far above any call's length, so that no timer fires and re-arms itself (a loaded machine must not change
    // the count)
    RouterConfig cfg = ConfigLoader.loadLayers(Arrays.asList("""
        resilience:
          timeouts: {connect_ms: 60000, first_token_ms: 60000, idle_ms: 60000, total_ms: 120000}
        budgets: {daily_usd: 1000, monthly_usd: 10000}
        """), "test.yaml", h.env());
    return RouterRuntime.create(counting, cfg, new SimpleMeterRegistry(), UsageSink.NONE, null);
  }

  static RouteRequest request(int i) {
    return new RouteRequest("t" + i, ChatRequest.user("Score this lead " + i), "qualification", null, "cerebras", null, null, null);
  }

  @Test
  void plainCallArmsTheWireTimersOnly() {
    RouterRuntime rt = countingRuntime();
    for (int i = 0; i < 3; i++) EmulatorHarness.await(rt.router().startChat(request(i))); // connections and classes warm
    timers.set(0);
    for (int i = 0; i < CALLS; i++) EmulatorHarness.await(rt.router().startChat(request(i)));
    double perCall = timers.get() / (double) CALLS;
    System.out.println("timers per non-streaming call: " + perCall);
    // response headers, then the body's deadline and idle limit: 3 (with the router's own deadline timer it was 4)
    assertThat(perCall).isLessThan(4.0);
    rt.close();
  }

  @Test
  void streamArmsTheWireTimersOnly() {
    RouterRuntime rt = countingRuntime();
    for (int i = 0; i < 3; i++) EmulatorHarness.await(rt.router().startStream(request(i), new EmulatorHarness.Collector()));
    timers.set(0);
    for (int i = 0; i < CALLS; i++) EmulatorHarness.await(rt.router().startStream(request(i), new EmulatorHarness.Collector()));
    double perCall = timers.get() / (double) CALLS;
    System.out.println("timers per streaming call: " + perCall);
    // response headers, then first token, deadline and idle, and a drain timer when the terminator precedes the body's
    // end: 5 (with the router's deadline, first-token and periodic idle timers it was 8)
    assertThat(perCall).isLessThan(6.0);
    rt.close();
  }
}
