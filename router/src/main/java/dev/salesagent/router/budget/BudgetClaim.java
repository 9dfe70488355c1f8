package dev.salesagent.router.budget;

import java.util.List;

/**
 * What one reservation asks of the counters: {@code nanos} reserved on every line, provided every limited line has
 * room for it ({@code spent + reserved + nanos <= limit}). Built by the {@link BudgetEngine}; applied atomically by a
 * {@link BudgetStore}. Lines are checked in order: the first without room is the one a refusal names.
 */
public record BudgetClaim(List<Line> lines, long nanos) {
  public BudgetClaim {
    lines = List.copyOf(lines);
    if (nanos < 0) throw new IllegalArgumentException("a claim is never negative");
  }

  public enum Period { DAILY, MONTHLY }

  /** A counter, its period and its limit ({@link UsdNanos#NONE} = counted, not limited). */
  public record Line(CounterKey key, Period period, long limitNanos) {
    public boolean limited() {
      return limitNanos != UsdNanos.NONE;
    }
  }

  /** What a store did with a claim. */
  public sealed interface Outcome permits Taken, Refused {}

  /** Reserved on every line. */
  public record Taken() implements Outcome {}

  /** Nothing reserved: {@code line} had only {@code leftNanos} (may be negative after a shared overshoot). */
  public record Refused(Line line, long leftNanos) implements Outcome {}

  public static final Taken TAKEN = new Taken();
}
