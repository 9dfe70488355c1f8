package dev.salesagent.bench;

import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.budget.BudgetLimits;
import dev.salesagent.router.budget.InMemoryBudgetCounters;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the budget counters cost one attempt on the request path: the planner's {@code remainingUsd} read, then a
 * reservation and its settlement, with an API key (four limits: global and the key's, daily and monthly) and without.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class BudgetBenchmark {
  BudgetCounters budgets;
  final String[] ids = new String[1024];
  int next;

  @Setup
  public void setUp() {
    budgets = new InMemoryBudgetCounters(new BudgetLimits(1e6, 1e7), k -> new BudgetLimits(null, 1e6));
    for (int i = 0; i < ids.length; i++) ids[i] = "req-" + i + "#1";
  }

  @Benchmark
  public Object reserveSettleWithKey() {
    String id = ids[next++ & 1023];
    double left = budgets.remainingUsd("key_0123456789");
    budgets.reserve(id, "key_0123456789", 0.00031);
    budgets.settle(id, 0.00027);
    return left;
  }

  @Benchmark
  public Object reserveSettleGlobal() {
    String id = ids[next++ & 1023];
    double left = budgets.remainingUsd(null);
    budgets.reserve(id, null, 0.00031);
    budgets.settle(id, 0.00027);
    return left;
  }
}
