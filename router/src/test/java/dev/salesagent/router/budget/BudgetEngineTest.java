package dev.salesagent.router.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rules of the one budget engine (the same over every store): limits, amounts, concurrency. */
class BudgetEngineTest {

  static BudgetSnapshot.Scope scope(BudgetEngine b, String key, String scope, String period) {
    return b.snapshotNow(key).scopes().stream().filter(s -> s.scope().equals(scope) && s.period().equals(period))
        .findFirst().orElseThrow();
  }

  @Test
  void absentAndInfiniteLimitsDoNotLimitButSpendIsCounted() {
    BudgetEngine b = new InMemoryBudgetCounters(new BudgetLimits(null, Double.POSITIVE_INFINITY),
        k -> new BudgetLimits(Double.POSITIVE_INFINITY, null));
    assertThat(b.remainingUsd("k")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(b.reserve("r1", "k", 1e6).succeeded()).isTrue();
    b.settle("r1", 123.456);
    assertThat(b.remainingUsd("k")).isEqualTo(Double.POSITIVE_INFINITY);
    for (BudgetSnapshot.Scope s : b.snapshotNow("k").scopes()) {
      assertThat(s.limitUsd()).as(s.toString()).isNull();
      assertThat(s.remainingUsd()).as(s.toString()).isNull();
      assertThat(s.spentUsd()).as(s.toString()).isEqualTo(123.456);
      assertThat(s.reservedUsd()).as(s.toString()).isZero();
    }
  }

  @Test
  void anAmountThatIsNotAFiniteNonNegativeNumberIsRefusedAndCountsNothing() {
    BudgetEngine b = InMemoryBudgetCounters.unlimited();
    for (double bad : new double[] {Double.POSITIVE_INFINITY, Double.NaN, -0.01}) {
      Future<BudgetCounters.Reservation> f = b.reserve("bad", "k", bad);
      assertThat(f.failed()).as("usd %s", bad).isTrue();
      assertThat(f.cause()).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(scope(b, "k", "global", "daily").reservedUsd()).isZero();
    assertThat(b.reserve("ok", "k", 0.5).succeeded()).isTrue();
    assertThat(scope(b, "k", "key:k", "monthly").reservedUsd()).isEqualTo(0.5);
  }

  @Test
  void aNaNOrNegativeCostChargesNothingAndAnInfiniteOneChargesTheReservation() {
    BudgetEngine b = new InMemoryBudgetCounters(new BudgetLimits(10.0, null), k -> null);
    b.reserve("nan", null, 1.0).result();
    b.settle("nan", Double.NaN);
    b.reserve("neg", null, 1.0).result();
    b.settle("neg", -3);
    assertThat(scope(b, null, "global", "daily").spentUsd()).isZero();
    b.reserve("inf", null, 2.5).result();
    b.settle("inf", Double.POSITIVE_INFINITY);
    BudgetSnapshot.Scope day = scope(b, null, "global", "daily");
    assertThat(day.spentUsd()).isEqualTo(2.5);
    assertThat(day.reservedUsd()).isZero();
    assertThat(day.remainingUsd()).isEqualTo(7.5);
  }

  @Test
  void tinyAmountsAlwaysCountAndLeaveNothingBehind() {
    // A limit of 100 nano-dollars: reservations of $4e-10 each take a whole nano-dollar (rounded up), never zero.
    BudgetEngine b = new InMemoryBudgetCounters(new BudgetLimits(1e-7, null), k -> null);
    int ok = 0;
    for (int i = 0; i < 1000; i++) if (b.reserve("t" + i, null, 4e-10).succeeded()) ok++;
    assertThat(ok).isEqualTo(100);
    assertThat(b.reserve("zero", null, 0).succeeded()).as("a free call fits a full budget").isTrue();
    for (int i = 0; i < 1000; i++) b.release("t" + i);
    b.release("zero");
    assertThat(scope(b, null, "global", "daily").reservedUsd()).isZero();
    // Float residue: 0.1 + 0.2 reserved and released is exactly nothing (in doubles it leaves 2.8e-17 behind).
    BudgetEngine c = new InMemoryBudgetCounters(new BudgetLimits(1.0, null), k -> null);
    c.reserve("a", null, 0.1).result();
    c.reserve("b", null, 0.2).result();
    c.release("a");
    c.release("b");
    BudgetSnapshot.Scope day = scope(c, null, "global", "daily");
    assertThat(day.reservedUsd()).isZero();
    assertThat(day.remainingUsd()).isEqualTo(1.0);
  }

  @Test
  void aLimitIsFilledExactlyWithoutAFloatTolerance() {
    BudgetEngine b = new InMemoryBudgetCounters(new BudgetLimits(null, 1.0), k -> null);
    for (int i = 0; i < 10; i++) assertThat(b.reserve("r" + i, null, 0.1).succeeded()).as("reservation %d", i).isTrue();
    LlmException e = (LlmException) b.reserve("r10", null, 1e-9).cause();
    assertThat(e.kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
    assertThat(e.getMessage()).isEqualTo("global monthly budget of $1 exhausted: $0.000000 left this month (UTC), "
        + "this call needs up to $0.000000");
    assertThat(b.remainingUsd(null)).isZero();
    b.reserve("free", null, 0).result();
  }

  @Test
  void concurrentReservationsNeverExceedTheLimit() throws Exception {
    // 8 threads race 4,000 reservations of odd amounts against a key's $1 daily and the global $3 monthly limit.
    BudgetEngine b = new InMemoryBudgetCounters(new BudgetLimits(null, 3.0), k -> new BudgetLimits(1.0, null));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong takenNanos = new AtomicLong();
    AtomicInteger refused = new AtomicInteger();
    List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      fs.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < 500; i++) {
          double usd = 0.0007 + (i % 13) * 0.00031 + thread * 1e-7;
          String key = i % 2 == 0 ? "k" : null;
          Future<BudgetCounters.Reservation> f = b.reserve(thread + ":" + i, key, usd);
          if (f.succeeded()) {
            if (key != null) takenNanos.addAndGet(UsdNanos.reserve(usd));
          } else {
            assertThat(((LlmException) f.cause()).kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
            refused.incrementAndGet();
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (var f : fs) f.get(30, TimeUnit.SECONDS);
    pool.shutdown();
    BudgetSnapshot.Scope keyDay = scope(b, "k", "key:k", "daily");
    assertThat(refused.get()).as("the key's limit was reached").isPositive();
    assertThat(keyDay.reservedUsd()).isLessThanOrEqualTo(1.0).isEqualTo(UsdNanos.usd(takenNanos.get()));
    assertThat(scope(b, "k", "global", "monthly").reservedUsd()).isLessThanOrEqualTo(3.0);
    assertThat(keyDay.remainingUsd()).isEqualTo(UsdNanos.usd(1_000_000_000L - takenNanos.get()));
  }

  @Test
  void amountsRoundUpForReservationsButNotForFloatNoise() {
    assertThat(UsdNanos.reserve(0.3)).isEqualTo(300_000_000L);
    assertThat(UsdNanos.reserve(0.1 + 0.2)).isEqualTo(300_000_000L);
    assertThat(UsdNanos.reserve(4e-10)).isEqualTo(1L);
    assertThat(UsdNanos.reserve(1.0000000004)).isEqualTo(1_000_000_001L);
    assertThat(UsdNanos.reserve(0)).isZero();
    assertThat(UsdNanos.nearest(4e-10)).isZero();
    assertThat(UsdNanos.limit(null)).isEqualTo(UsdNanos.NONE);
    assertThat(UsdNanos.limit(Double.POSITIVE_INFINITY)).isEqualTo(UsdNanos.NONE);
    assertThat(UsdNanos.reserve(1e30)).isEqualTo(UsdNanos.MAX);
  }
}
