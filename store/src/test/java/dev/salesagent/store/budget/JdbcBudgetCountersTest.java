package dev.salesagent.store.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.budget.BudgetLimits;
import dev.salesagent.router.budget.BudgetSnapshot;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.store.Database;
import dev.salesagent.store.testing.TestDatabases.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JdbcBudgetCountersTest {
  static Vertx vertx;

  @BeforeAll
  static void up() { vertx = Vertx.vertx(); }

  @AfterAll
  static void down() { vertx.close().await(); }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void concurrentReservationsNeverOverspendAndSurviveRestart(Kind kind) throws Exception {
    String url = kind.newUrl("budget");
    try (Database db = Database.open(url)) {
      JdbcBudgetCounters c = new JdbcBudgetCounters(vertx, db, BudgetLimits.NONE,
          k -> "k1".equals(k) ? new BudgetLimits(null, 1.0) : BudgetLimits.NONE);
      // 40 concurrent reservations of 0.1 against a 1.0 monthly key budget: exactly 10 succeed.
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 40; i++) fs.add(c.reserve("r" + i, "k1", 0.1));
      int ok = 0;
      int refused = 0;
      for (Future<?> f : fs) {
        try {
          await(f);
          ok++;
        } catch (Exception e) {
          LlmException le = (LlmException) e.getCause();
          assertThat(le.kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
          assertThat(le.getMessage()).contains("key k1 monthly budget of $1");
          refused++;
        }
      }
      assertThat(ok).isEqualTo(10);
      assertThat(refused).isEqualTo(30);
      await(c.settle("r0", 0.05));
      await(c.release("r1"));
      c.close();
    }
    // Restart: the 8 open reservations are still held, and the spend is there.
    try (Database db = Database.open(url)) {
      JdbcBudgetCounters c = new JdbcBudgetCounters(vertx, db, BudgetLimits.NONE,
          k -> new BudgetLimits(null, 1.0), Clock.systemUTC(), Duration.ofMinutes(15));
      BudgetSnapshot s = await(c.snapshot("k1"));
      BudgetSnapshot.Scope month = s.scopes().stream()
          .filter(x -> x.scope().equals("key:k1") && x.period().equals("monthly")).findFirst().orElseThrow();
      assertThat(month.spentUsd()).isEqualTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(month.reservedUsd()).isEqualTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(month.remainingUsd()).isEqualTo(0.15, org.assertj.core.data.Offset.offset(1e-9));
      await(c.reserve("again", "k1", 0.15));
      c.close();
    }
    // A restart after the reservations went stale releases them.
    try (Database db = Database.open(url)) {
      JdbcBudgetCounters c = new JdbcBudgetCounters(vertx, db, BudgetLimits.NONE,
          k -> new BudgetLimits(null, 1.0), Clock.systemUTC(), Duration.ZERO);
      BudgetSnapshot.Scope month = await(c.snapshot("k1")).scopes().get(3);
      assertThat(month.reservedUsd()).isZero();
      assertThat(month.spentUsd()).isEqualTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
      c.close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void unlimitedSpendIsCountedWithoutTheDatabaseOnThePath(Kind kind) throws Exception {
    try (Database db = Database.open(kind.newUrl("budget_fast"))) {
      JdbcBudgetCounters c = new JdbcBudgetCounters(vertx, db, BudgetLimits.NONE, k -> BudgetLimits.NONE);
      for (int i = 0; i < 100; i++) {
        await(c.reserve("f" + i, "k9", 1.0));
        await(c.settle("f" + i, 0.01));
      }
      BudgetSnapshot s = await(c.snapshot("k9"));
      assertThat(s.scopes().get(0).spentUsd()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(s.scopes().get(3).spentUsd()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(s.scopes().get(3).remainingUsd()).isNull();
      c.close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void theEngineRulesHoldOnTheDatabaseAndSurviveARestartExactly(Kind kind) throws Exception {
    String url = kind.newUrl("budget_rules");
    AtomicLong taken = new AtomicLong();
    try (Database db = Database.open(url)) {
      JdbcBudgetCounters c = new JdbcBudgetCounters(vertx, db, new BudgetLimits(null, Double.POSITIVE_INFINITY),
          k -> new BudgetLimits(1e-6, null));
      assertThat(c.reserve("inf", "k", Double.POSITIVE_INFINITY).failed()).isTrue();
      // 4 threads race tiny reservations ($3e-10 rounds up to one nano-dollar) against the key's 1,000 nano-dollars.
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 400; i++) {
            if (c.reserve(thread + ":" + i, "k", 3e-10).succeeded()) taken.incrementAndGet();
          }
        }));
      }
      for (var f : fs) f.get(30, TimeUnit.SECONDS);
      pool.shutdown();
      assertThat(taken.get()).isEqualTo(1000);
      // 0.1 + 0.2 reserved on the unlimited global scope and released: nothing left behind.
      await(c.reserve("a", null, 0.1));
      await(c.reserve("b", null, 0.2));
      await(c.release("a"));
      await(c.settle("b", 0.2));
      c.close();
    }
    try (Database db = Database.open(url)) {
      JdbcBudgetCounters c = new JdbcBudgetCounters(vertx, db, BudgetLimits.NONE, k -> new BudgetLimits(1e-6, null));
      BudgetSnapshot s = await(c.snapshot("k"));
      assertThat(s.scopes().get(0).reservedUsd()).isEqualTo(1e-6); // the 1,000 tiny reservations still held
      assertThat(s.scopes().get(0).spentUsd()).isEqualTo(0.2);
      assertThat(s.scopes().get(2).remainingUsd()).isZero();
      assertThat(c.reserve("more", "k", 3e-10).failed()).isTrue();
      c.close();
    }
  }
}
