package dev.salesagent.router.execution;

import dev.salesagent.emulator.Emulator;
import dev.salesagent.emulator.EmulatorOptions;
import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.model.StreamEvent;
import dev.salesagent.router.routing.RoutedCall;
import dev.salesagent.router.routing.RoutedResponse;
import dev.salesagent.router.routing.StreamControl;
import dev.salesagent.router.routing.StreamObserver;
import dev.salesagent.router.routing.Target;
import dev.salesagent.router.routing.UsageRecord;
import dev.salesagent.router.routing.UsageSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A loopback emulator plus a router configured against it (the four default providers, keys set). */
final class EmulatorHarness implements AutoCloseable {
  final Vertx vertx;
  final Emulator emulator;
  RouterRuntime runtime;
  final List<UsageRecord> usage = new CopyOnWriteArrayList<>();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  /** Variables that replace the defaults of {@link #env()} (a provider behind an {@link UpstreamConnections} relay, say). */
  final Map<String, String> envOverrides = new HashMap<>();

  /**
   * Exceptions a handler on this Vert.x instance threw and nobody handled (router and emulator alike): such a throw
   * can stop a chain of callbacks half-way, so an await that times out reports them.
   */
  final List<Throwable> unhandled = new CopyOnWriteArrayList<>();
  /** The harness of the test running now (tests in a JVM run one at a time): what a timed-out await describes. */
  private static volatile EmulatorHarness live;

  EmulatorHarness(EmulatorOptions options) {
    this.vertx = Vertx.vertx();
    vertx.exceptionHandler(t -> {
      unhandled.add(t);
      LOG.error("unhandled exception on a Vert.x context", t);
    });
    live = this;
    this.emulator = await("Emulator.start (the harness's own emulator)", Emulator.start(vertx, options), null);
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EmulatorHarness.class);

  /** This harness's part of a {@link TimeoutReport}: unhandled exceptions, the emulator's counts, the attempts recorded. */
  void describeInto(StringBuilder sb) {
    sb.append("\n-- unhandled exceptions on Vert.x contexts: ").append(unhandled.isEmpty() ? "none" : unhandled.size());
    TimeoutReport.throwables(sb, unhandled);
    // null while the constructor still waits for the emulator to start
    sb.append("\n-- emulator received: ").append(emulator == null ? "(not started yet)" : emulator.stats().toJson().encode());
    sb.append("\n-- attempts recorded (usage sink): ").append(usage.isEmpty() ? "none" : "");
    for (UsageRecord u : usage) sb.append("\n  ").append(u);
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_API_KEY", "test-key-a");
    env.put("CEREBRAS_API_KEY", "test-key-c");
    env.put("DEEPSEEK_API_KEY", "test-key-d");
    env.put("ANTHROPIC_BASE_URL", emulator.anthropicBaseUrl());
    env.put("CEREBRAS_BASE_URL", emulator.openAiRootUrl());
    env.put("DEEPSEEK_BASE_URL", emulator.openAiBaseUrl());
    env.put("OLLAMA_HOST", emulator.ollamaBaseUrl());
    env.putAll(envOverrides);
    return env;
  }

  /**
   * Fast retries for tests, then {@code extraYaml} merged on top of them. The timeouts are generous on purpose: a
   * loopback answer is quick, but on a busy machine (a CI host running other builds) a first token can take seconds,
   * and a test must not fail because an attempt it expects to succeed timed out. A test about a timeout sets a short
   * one on the provider it makes hang ({@code providers.<name>.timeouts}), so the targets that should answer keep
   * these.
   */
  RouterRuntime start(String extraYaml, BudgetCounters budgets) {
    String base = """
        resilience:
          max_retries: 2
          backoff: {initial_ms: 10, max_ms: 40}
          timeouts: {connect_ms: 5000, first_token_ms: 20000, idle_ms: 20000, total_ms: 30000}
          circuit_breaker: {failure_rate_percent: 50, minimum_calls: 5, open_ms: 1000, half_open_calls: 1, window_size: 10}
        health: {probe_interval_ms: 300, probe_jitter_ms: 50, down_after_failures: 100}
        budgets: {daily_usd: 1000, monthly_usd: 10000}
        """;
    RouterConfig cfg = ConfigLoader.loadLayers(java.util.Arrays.asList(base, extraYaml), "test.yaml", env());
    runtime = RouterRuntime.create(vertx, cfg, registry, usage::add, budgets);
    return runtime;
  }

  /** Longer than the default request deadline, so a slow request fails with the router's own error, not here. */
  static final long AWAIT_SECONDS = 60;

  static <T> T await(Future<T> f) {
    return await("the awaited future", f, null);
  }

  /** A routed call's answer; on a timeout the report includes where the request stands. */
  static RoutedResponse await(RoutedCall call) {
    return await("the routed call", call.result(), call);
  }

  private static <T> T await(String what, Future<T> f, RoutedCall call) {
    long stalls = StallMonitor.mark();
    try {
      return f.toCompletionStage().toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new RuntimeException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw timedOut(what, call, stalls, e);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  /** The failure of a future that must fail. */
  static Throwable awaitFailure(Future<?> f) {
    return awaitFailure(f, null);
  }

  /** The failure of a routed call that must fail; on a timeout the report includes where the request stands. */
  static Throwable awaitFailure(RoutedCall call) {
    return awaitFailure(call.result(), call);
  }

  private static Throwable awaitFailure(Future<?> f, RoutedCall call) {
    long stalls = StallMonitor.mark();
    try {
      f.toCompletionStage().toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw timedOut(call == null ? "the future expected to fail" : "the routed call expected to fail", call, stalls, e);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
    throw new AssertionError("expected a failure, got success");
  }

  /** Never a bare TimeoutException: the error says what the request was waiting for (see {@link TimeoutReport}). */
  private static AssertionError timedOut(String what, RoutedCall call, long stalls, java.util.concurrent.TimeoutException e) {
    return new AssertionError(TimeoutReport.of(what, AWAIT_SECONDS, live, call, stalls), e);
  }

  /**
   * Stops everything, then fails the test if a handler threw and nobody handled it: such a throw can stop a chain of
   * callbacks half-way (a request that never completes), so it must not pass quietly even when the test's own
   * assertions held.
   */
  @Override
  public void close() {
    if (live == this) live = null;
    if (runtime != null) runtime.close();
    try {
      emulator.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception ignore) {
      // best effort
    }
    vertx.close();
    if (!unhandled.isEmpty()) {
      StringBuilder sb = new StringBuilder("a Vert.x handler threw and nobody handled it:");
      TimeoutReport.throwables(sb, unhandled);
      throw new AssertionError(sb.toString(), unhandled.get(0));
    }
  }

  /** Collects a routed stream. */
  static final class Collector implements StreamObserver {
    final StringBuilder text = new StringBuilder();
    final List<String> deltas = new CopyOnWriteArrayList<>();
    volatile Target startedOn;
    volatile int starts;

    @Override
    public void onStart(Target target, StreamControl control) {
      startedOn = target;
      starts++;
    }

    @Override
    public void onEvent(StreamEvent event) {
      if (event instanceof StreamEvent.TextDelta td) {
        text.append(td.text());
        deltas.add(td.text());
      }
    }
  }

  static UsageSink sink(List<UsageRecord> l) {
    return l::add;
  }
}
