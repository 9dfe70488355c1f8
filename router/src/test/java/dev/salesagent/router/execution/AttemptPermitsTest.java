package dev.salesagent.router.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.RouterRuntime;
import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.budget.BudgetSnapshot;
import dev.salesagent.router.budget.InMemoryBudgetCounters;
import dev.salesagent.router.config.ConfigLoader;
import dev.salesagent.router.config.RouterConfig;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.execution.LiveState.ProviderRuntime;
import dev.salesagent.router.execution.LiveState.TargetRuntime;
import dev.salesagent.router.resilience.Backoff;
import dev.salesagent.router.routing.UsageSink;
import dev.salesagent.router.strategy.TargetRef;
import dev.salesagent.router.tokens.TokenEstimator;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link AttemptPermits} gives back what it took exactly once on every path: the call's outcomes (success, each error
 * kind, a cancel), a refusal at each stage, and an abandon at each stage — also when a slot or a reservation arrives
 * after the abandon. The breaker and the budgets count every call made on them; the bulkhead shows its slots.
 */
class AttemptPermitsTest {
  /** The bulkhead holds two; the test keeps one of them, so a slot given back twice would show as three free. */
  static final int SLOTS = 2;

  Vertx vertx;
  Context ctx;
  RouterRuntime rt;
  CountingBudgets budgets;
  RouterServices services;
  TargetRef target;
  ProviderRuntime provider;
  Counts breakerCalls;
  TargetRuntime runtime;
  Deadline deadline;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    ctx = vertx.getOrCreateContext();
    Map<String, String> env = Map.of("CEREBRAS_API_KEY", "k", "CEREBRAS_BASE_URL", "http://127.0.0.1:9");
    RouterConfig cfg = ConfigLoader.loadLayers(Arrays.asList("""
        providers:
          cerebras: {max_concurrency: %d}
        budgets: {daily_usd: 1000, monthly_usd: 10000}
        """.formatted(SLOTS)), "test.yaml", env);
    budgets = new CountingBudgets(new InMemoryBudgetCounters(cfg.budgets().limits(), k -> null));
    rt = RouterRuntime.create(vertx, cfg, null, UsageSink.NONE, budgets);
    services = new RouterServices(vertx, rt.state(), cfg, rt.metrics(), UsageSink.NONE, budgets,
        TokenEstimator.defaultEstimator(), new Backoff(10, 40));
    target = Arrays.stream(rt.state().planner().allTargets()).filter(t -> t.providerName().equals("cerebras")).findFirst().orElseThrow();
    provider = rt.state().provider(target);
    breakerCalls = new Counts();
    runtime = new TargetRuntime(target, counting(CircuitBreaker.of("t", CircuitBreakerConfig.ofDefaults()), breakerCalls));
    deadline = Deadline.of(System.nanoTime(), 30_000);
    assertThat(on(() -> provider.slots.tryAcquire())).isTrue(); // the test's own slot
  }

  @AfterEach
  void tearDown() {
    rt.close();
    vertx.close();
  }

  AttemptPermits permits() {
    return new AttemptPermits(services, target, runtime, provider);
  }

  /** Takes the circuit permit and the admission, then reserves; returns the permits holding all three. */
  AttemptPermits acquired() {
    return on(() -> {
      AttemptPermits p = permits();
      assertThat(p.takeCircuitPermit()).isTrue();
      assertThat(p.admit(10, deadline).succeeded()).isTrue();
      List<AsyncResult<Void>> heard = new ArrayList<>();
      p.reserve("r1", null, 0.01, 10, heard::add);
      assertThat(heard).hasSize(1);
      assertThat(heard.get(0).succeeded()).isTrue();
      return p;
    });
  }

  @Test
  void successSettlesEachOnce() {
    AttemptPermits p = acquired();
    assertThat(provider.slots.available()).isZero();
    on(() -> p.succeeded(12, 0.005));
    assertEverythingBackOnce(p, "onSuccess");
    assertThat(budgets.calls("settle", "r1")).isEqualTo(1);
    assertThat(budgets.calls("release", "r1")).isZero();
    assertThat(budgets.spent()).isEqualTo(0.005);
  }

  @ParameterizedTest
  @EnumSource(ErrorKind.class)
  void eachErrorKindSettlesEachOnceAsTheKindSays(ErrorKind kind) {
    AttemptPermits p = acquired();
    LlmException e = LlmException.of(kind, "failed with " + kind.wire());
    on(() -> p.failed(e, 12, true, 0.002));
    assertEverythingBackOnce(p, kind.circuitFailure() ? "onError" : "onSuccess");
    assertThat(budgets.calls("settle", "r1")).isEqualTo(1);
    assertThat(budgets.calls("release", "r1")).isZero();
  }

  @Test
  void failureWithoutUsageReleasesTheReservation() {
    AttemptPermits p = acquired();
    on(() -> p.failed(LlmException.of(ErrorKind.TIMEOUT, "no first token"), 400, false, 0));
    assertEverythingBackOnce(p, "onError");
    assertThat(budgets.calls("settle", "r1")).isZero();
    assertThat(budgets.calls("release", "r1")).isEqualTo(1);
  }

  @Test
  void cancelledCallGivesThePermitBackUnused() {
    AttemptPermits p = acquired();
    on(() -> p.cancelled(true, 0.001));
    assertEverythingBackOnce(p, "releasePermission");
    assertThat(budgets.calls("settle", "r1")).isEqualTo(1);
  }

  @Test
  void abandonAfterTheCircuitPermit() {
    AttemptPermits p = on(() -> {
      AttemptPermits x = permits();
      assertThat(x.takeCircuitPermit()).isTrue();
      x.abandon();
      return x;
    });
    assertEverythingBackOnce(p, "releasePermission");
    assertThat(budgets.calls("reserve", "r1")).isZero();
  }

  @Test
  void abandonAfterAdmission() {
    AttemptPermits p = on(() -> {
      AttemptPermits x = permits();
      x.takeCircuitPermit();
      assertThat(x.admit(10, deadline).succeeded()).isTrue();
      assertThat(provider.slots.available()).isZero();
      x.abandon();
      return x;
    });
    assertEverythingBackOnce(p, "releasePermission");
  }

  @Test
  void abandonWhileHoldingTheReservation() {
    AttemptPermits p = acquired();
    on(p::abandon);
    assertEverythingBackOnce(p, "releasePermission");
    assertThat(budgets.calls("release", "r1")).isEqualTo(1);
    assertThat(budgets.calls("settle", "r1")).isZero();
  }

  /** The reservation answers after the abandon: it is released then, and nobody is told to call. */
  @Test
  void abandonWhileTheReservationIsOnItsWay() {
    Promise<BudgetCounters.Reservation> later = Promise.promise();
    budgets.nextReserve = later.future();
    List<AsyncResult<Void>> heard = new ArrayList<>();
    AttemptPermits p = on(() -> {
      AttemptPermits x = permits();
      x.takeCircuitPermit();
      x.admit(10, deadline);
      x.reserve("r1", null, 0.01, 10, heard::add);
      x.abandon();
      return x;
    });
    assertThat(budgets.calls("release", "r1")).isZero();
    on(() -> later.complete(new BudgetCounters.Reservation("r1", null, 0.01)));
    assertThat(budgets.calls("release", "r1")).isEqualTo(1);
    assertThat(heard).isEmpty();
    assertEverythingBackOnce(p, "releasePermission");
  }

  @Test
  void refusedReservationGivesTheRestBack() {
    budgets.nextReserve = Future.failedFuture(LlmException.of(ErrorKind.BUDGET_EXCEEDED, "daily budget spent"));
    List<AsyncResult<Void>> heard = new ArrayList<>();
    AttemptPermits p = on(() -> {
      AttemptPermits x = permits();
      x.takeCircuitPermit();
      x.admit(10, deadline);
      x.reserve("r1", null, 0.01, 10, heard::add);
      return x;
    });
    assertThat(heard).hasSize(1);
    assertThat(((LlmException) heard.get(0).cause()).kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
    assertEverythingBackOnce(p, "releasePermission");
    assertThat(budgets.calls("release", "r1")).isZero();
    assertThat(budgets.calls("settle", "r1")).isZero();
  }

  @Test
  void refusedCircuitHoldsNothing() {
    CircuitBreaker open = CircuitBreaker.of("open", CircuitBreakerConfig.ofDefaults());
    open.transitionToForcedOpenState();
    Counts calls = new Counts();
    AttemptPermits p = new AttemptPermits(services, target, new TargetRuntime(target, counting(open, calls)), provider);
    assertThat(on(p::takeCircuitPermit)).isFalse();
    on(p::abandon);
    on(() -> p.failed(LlmException.of(ErrorKind.OVERLOADED, "x"), 1, true, 1));
    assertThat(calls.total()).as(calls.toString()).isEqualTo(calls.get("tryAcquirePermission"));
    assertThat(provider.slots.available()).isEqualTo(SLOTS - 1);
  }

  /** A full bulkhead until the deadline: refused as overloaded, the waiter out of the queue, the permit back. */
  @Test
  void slotWaitTimingOutGivesThePermitBack() {
    AttemptPermits holder = acquired(); // the bulkhead is full now
    Future<Void> admitted = on(() -> {
      AttemptPermits x = permits();
      x.takeCircuitPermit();
      return x.admit(10, Deadline.of(System.nanoTime(), 300));
    });
    LlmException e = (LlmException) awaitFailure(admitted);
    assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(provider.slots.waiting()).isZero();
    assertThat(breakerCalls.get("releasePermission")).isEqualTo(1);
    on(() -> holder.succeeded(1, 0));
    assertThat(provider.slots.available()).isEqualTo(SLOTS - 1);
  }

  /** Queued for a slot, then cancelled: out of the queue, and the next freed slot goes to nobody but the pool. */
  @Test
  void abandonWhileQueuedLeavesTheQueue() {
    AttemptPermits holder = acquired();
    Future<Void>[] admitted = new Future[1];
    AttemptPermits waiting = on(() -> {
      AttemptPermits x = permits();
      x.takeCircuitPermit();
      admitted[0] = x.admit(10, deadline);
      return x;
    });
    assertThat(provider.slots.waiting()).isEqualTo(1);
    on(waiting::abandon);
    assertThat(provider.slots.waiting()).isZero();
    on(() -> holder.succeeded(1, 0));
    assertThat(provider.slots.available()).isEqualTo(SLOTS - 1);
    assertThat(admitted[0].isComplete()).as("an abandoned admission does not call back").isFalse();
    assertThat(breakerCalls.get("releasePermission")).isEqualTo(1);
  }

  /** The slot was already handed to the waiter when it abandoned: it passes the slot on instead of keeping it. */
  @Test
  void slotArrivingAfterTheAbandonIsPassedOn() {
    AttemptPermits holder = acquired();
    AttemptPermits waiting = on(() -> {
      AttemptPermits x = permits();
      x.takeCircuitPermit();
      x.admit(10, deadline);
      return x;
    });
    on(() -> {
      holder.succeeded(1, 0); // hands the slot to the waiter: its grant is queued on this context
      waiting.abandon(); // before the grant runs
      return null;
    });
    await().until(() -> provider.slots.available() == SLOTS - 1);
    assertThat(provider.slots.waiting()).isZero();
  }

  /** The freed slot goes to the waiter, which then holds it like any other until it settles. */
  @Test
  void queuedWaiterGetsTheFreedSlot() {
    AttemptPermits holder = acquired();
    Future<Void>[] admitted = new Future[1];
    AttemptPermits waiting = on(() -> {
      AttemptPermits x = permits();
      x.takeCircuitPermit();
      admitted[0] = x.admit(10, deadline);
      return x;
    });
    on(() -> holder.succeeded(1, 0));
    await(admitted[0]);
    assertThat(provider.slots.available()).isZero();
    on(() -> waiting.failed(LlmException.of(ErrorKind.UNAVAILABLE, "reset"), 1, false, 0));
    assertThat(provider.slots.available()).isEqualTo(SLOTS - 1);
  }

  /** Cancelled while the client-side RPM limit holds the call back: the wait is dropped, the slot and permit go back. */
  @Test
  void abandonDuringTheRateLimitWait() {
    Map<String, String> env = Map.of("CEREBRAS_API_KEY", "k", "CEREBRAS_BASE_URL", "http://127.0.0.1:9");
    RouterConfig cfg = ConfigLoader.loadLayers(Arrays.asList("providers:\n  cerebras: {max_concurrency: 10, rpm: 30}\n"), "rpm.yaml", env);
    RouterRuntime limited = RouterRuntime.create(vertx, cfg, null, UsageSink.NONE, null);
    try {
      ProviderRuntime rpm = limited.state().provider(target);
      assertThat(rpm.rpm).isNotNull();
      // one call per 2 s: take permits until one is held back (the period may roll over between two takes)
      List<AttemptPermits> through = new ArrayList<>();
      AttemptPermits held = null;
      Future<Void> heldIn = null;
      for (int i = 0; i < 5 && held == null; i++) {
        AttemptPermits p = new AttemptPermits(services, target, runtime, rpm);
        Future<Void> in = on(() -> {
          p.takeCircuitPermit();
          return p.admit(10, deadline);
        });
        if (in.isComplete()) {
          through.add(p);
        } else {
          held = p;
          heldIn = in;
        }
      }
      assertThat(held).as("the rpm limit held a call back").isNotNull();
      assertThat(rpm.slots.available()).isEqualTo(10 - through.size() - 1);
      on(held::abandon);
      assertThat(rpm.slots.available()).isEqualTo(10 - through.size());
      assertThat(breakerCalls.get("releasePermission")).isEqualTo(1);
      // the wait (at most one 2 s period) would have let it through by now: it never does
      Future<Void> abandonedIn = heldIn;
      org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofMillis(2500)).atMost(java.time.Duration.ofSeconds(10))
          .until(() -> true);
      assertThat(abandonedIn.isComplete()).isFalse();
      for (AttemptPermits p : through) on(p::abandon);
      assertThat(rpm.slots.available()).isEqualTo(10);
    } finally {
      limited.close();
    }
  }

  // ---- checks ----

  /** One permit taken and given back once as {@code how}; the test's slot the only one held; settling again is a no-op. */
  void assertEverythingBackOnce(AttemptPermits p, String how) {
    assertThat(breakerCalls.get("tryAcquirePermission")).isEqualTo(1);
    assertThat(breakerCalls.get(how)).as(breakerCalls.toString()).isEqualTo(1);
    assertThat(breakerCalls.total()).as(breakerCalls.toString()).isEqualTo(2);
    assertThat(provider.slots.available()).isEqualTo(SLOTS - 1);
    assertThat(provider.slots.waiting()).isZero();
    int budgetCalls = budgets.total();
    on(() -> {
      p.succeeded(1, 1);
      p.failed(LlmException.of(ErrorKind.OVERLOADED, "again"), 1, true, 1);
      p.cancelled(true, 1);
      p.abandon();
      return null;
    });
    assertThat(breakerCalls.total()).as("nothing more after settling: " + breakerCalls).isEqualTo(2);
    assertThat(provider.slots.available()).isEqualTo(SLOTS - 1);
    assertThat(budgets.total()).isEqualTo(budgetCalls);
    assertThat(budgets.reservedUsd()).isZero();
  }

  // ---- plumbing ----

  <T> T on(Callable<T> c) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> {
      try {
        p.complete(c.call());
      } catch (Throwable t) {
        p.fail(t);
      }
    });
    return await(p.future());
  }

  void on(Runnable r) {
    on(() -> {
      r.run();
      return null;
    });
  }

  static <T> T await(Future<T> f) {
    return EmulatorHarness.await(f);
  }

  static Throwable awaitFailure(Future<?> f) {
    return EmulatorHarness.awaitFailure(f);
  }

  static org.awaitility.core.ConditionFactory await() {
    return org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS);
  }

  /** Calls per method name. */
  static final class Counts {
    private final Map<String, AtomicInteger> m = new ConcurrentHashMap<>();

    void add(String k) { m.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet(); }

    int get(String k) { AtomicInteger a = m.get(k); return a == null ? 0 : a.get(); }

    int total() { return m.values().stream().mapToInt(AtomicInteger::get).sum(); }

    @Override public String toString() { return m.toString(); }
  }

  /** The breaker, counting the calls that take and give back permits. */
  static CircuitBreaker counting(CircuitBreaker real, Counts counts) {
    List<String> counted = List.of("tryAcquirePermission", "acquirePermission", "releasePermission", "onSuccess", "onError", "onResult");
    return (CircuitBreaker) Proxy.newProxyInstance(CircuitBreaker.class.getClassLoader(), new Class<?>[] {CircuitBreaker.class},
        (proxy, method, args) -> {
          if (counted.contains(method.getName())) counts.add(method.getName());
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** Counts every call per reservation id; {@link #nextReserve} replaces the next reservation's answer. */
  static final class CountingBudgets implements BudgetCounters {
    final BudgetCounters real;
    final Counts counts = new Counts();
    volatile Future<Reservation> nextReserve;

    CountingBudgets(BudgetCounters real) {
      this.real = real;
    }

    int calls(String method, String id) { return counts.get(method + " " + id); }

    int total() { return counts.total(); }

    double spent() { return await(real.snapshot(null)).scopes().get(0).spentUsd(); }

    double reservedUsd() { return await(real.snapshot(null)).scopes().get(0).reservedUsd(); }

    @Override
    public Future<Reservation> reserve(String id, String apiKeyIdOrNull, double usd) {
      counts.add("reserve " + id);
      Future<Reservation> f = nextReserve;
      nextReserve = null;
      if (f == null) return real.reserve(id, apiKeyIdOrNull, usd);
      // a scripted answer: the real counters hold the reservation only when it succeeds
      return f.compose(r -> real.reserve(id, apiKeyIdOrNull, usd));
    }

    @Override
    public Future<Void> settle(String id, double actualUsd) {
      counts.add("settle " + id);
      return real.settle(id, actualUsd);
    }

    @Override
    public Future<Void> release(String id) {
      counts.add("release " + id);
      return real.release(id);
    }

    @Override
    public Future<BudgetSnapshot> snapshot(String apiKeyIdOrNull) {
      return real.snapshot(apiKeyIdOrNull);
    }
  }
}
