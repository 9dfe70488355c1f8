package dev.salesagent.router.budget;

import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InMemoryBudgetCountersTest {

  static final class MutableClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-24T23:59:00Z"));
    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now.get(); }
  }

  @Test
  void reservesSettlesAndRefusesNamingTheBudget() {
    InMemoryBudgetCounters b = new InMemoryBudgetCounters(new BudgetLimits(1.0, 5.0), k -> new BudgetLimits(0.5, null));
    assertTrue(b.reserve("r1", "k", 0.4).succeeded());
    assertEquals(0.1, b.remainingUsd("k"), 1e-9);
    LlmException e = (LlmException) b.reserve("r2", "k", 0.2).cause();
    assertEquals(ErrorKind.BUDGET_EXCEEDED, e.kind());
    assertTrue(e.getMessage().contains("key k daily budget of $0.5"), e.getMessage());
    assertTrue(e.getMessage().contains("$0.100000 left"), e.getMessage());
    b.settle("r1", 0.1);
    assertEquals(0.4, b.remainingUsd("k"), 1e-9);
    assertTrue(b.reserve("r3", null, 0.85).succeeded(), "the global limit has 0.9 left");
    LlmException g = (LlmException) b.reserve("r4", null, 0.2).cause();
    assertTrue(g.getMessage().contains("global daily budget of $1"), g.getMessage());
    b.release("r3");
    assertEquals(0.9, b.remainingUsd(null), 1e-9);
    BudgetSnapshot s = b.snapshot("k").result();
    assertEquals(4, s.scopes().size());
    assertEquals(0.1, s.scopes().get(0).spentUsd(), 1e-9);
  }

  @Test
  void atomicAcrossLimits() {
    InMemoryBudgetCounters b = new InMemoryBudgetCounters(new BudgetLimits(0.1, null), k -> new BudgetLimits(10.0, null));
    assertTrue(b.reserve("r1", "k", 0.2).failed());
    BudgetSnapshot s = b.snapshot("k").result();
    for (BudgetSnapshot.Scope sc : s.scopes()) assertEquals(0.0, sc.reservedUsd(), "nothing reserved anywhere");
  }

  @Test
  void dayRollsOverAtUtcMidnight() {
    MutableClock clock = new MutableClock();
    InMemoryBudgetCounters b = new InMemoryBudgetCounters(new BudgetLimits(1.0, 1.5), k -> null, clock);
    b.reserve("r1", null, 0.9).result();
    b.settle("r1", 0.9);
    assertTrue(b.reserve("r2", null, 0.5).failed());
    clock.now.set(Instant.parse("2026-11-25T00:00:01Z"));
    assertEquals(0.6, b.remainingUsd(null), 1e-9, "new day, same month: the monthly limit still counts");
    clock.now.set(Instant.parse("2026-12-01T00:00:01Z"));
    assertEquals(1.0, b.remainingUsd(null), 1e-9);
  }
}
