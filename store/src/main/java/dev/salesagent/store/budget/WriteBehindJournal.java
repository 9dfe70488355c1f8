package dev.salesagent.store.budget;

import dev.salesagent.router.budget.BudgetClaim;
import dev.salesagent.router.budget.CounterKey;
import dev.salesagent.router.budget.LocalBudgetStore;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The budget changes not written yet: counter deltas, reservation rows to insert and to delete. The local store
 * journals each change under its own lock; the writer {@link #drain drains} it under this one (lock order: store,
 * then journal).
 */
final class WriteBehindJournal implements LocalBudgetStore.Journal {
  /** A reservation row to insert: the claim it holds and when it was taken. */
  record Row(BudgetClaim held, OffsetDateTime at) {}

  /** What one write applies. */
  record Batch(Map<CounterKey, long[]> deltas, Map<String, Row> toInsert, List<String> toDelete) {}

  private final Clock clock;
  /** counter -> [spent delta, reserved delta], nano-dollars. */
  private Map<CounterKey, long[]> deltas = new HashMap<>();
  private Map<String, Row> toInsert = new LinkedHashMap<>();
  private List<String> toDelete = new ArrayList<>();

  WriteBehindJournal(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void taken(String id, BudgetClaim held) {
    move(held, 0, held.nanos());
    toInsert.put(id, new Row(held, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)));
  }

  @Override
  public synchronized void finished(String id, BudgetClaim held, long spentNanos) {
    move(held, spentNanos, -held.nanos());
    if (toInsert.remove(id) == null) toDelete.add(id); // taken and finished within one flush: no row at all
  }

  private void move(BudgetClaim held, long spent, long reserved) {
    for (BudgetClaim.Line l : held.lines()) {
      long[] d = deltas.computeIfAbsent(l.key(), x -> new long[2]);
      d[0] += spent;
      d[1] += reserved;
    }
  }

  /** Adds the counter's unwritten changes to {@code counts} (a refresh from the database). */
  synchronized void addTo(CounterKey k, long[] counts) {
    long[] d = deltas.get(k);
    if (d != null) {
      counts[0] += d[0];
      counts[1] += d[1];
    }
  }

  synchronized boolean isEmpty() {
    return deltas.isEmpty() && toInsert.isEmpty() && toDelete.isEmpty();
  }

  /** Takes everything pending, leaving the journal empty. */
  synchronized Batch drain() {
    Batch b = new Batch(deltas, toInsert, toDelete);
    deltas = new HashMap<>();
    toInsert = new LinkedHashMap<>();
    toDelete = new ArrayList<>();
    return b;
  }

  /** Puts back a batch that could not be written, merged with what came meanwhile. */
  synchronized void requeue(Batch b, Map<String, BudgetClaim> stillHeld) {
    b.deltas().forEach((k, v) -> {
      long[] cur = deltas.computeIfAbsent(k, x -> new long[2]);
      cur[0] += v[0];
      cur[1] += v[1];
    });
    for (Map.Entry<String, Row> e : b.toInsert().entrySet()) {
      if (stillHeld.containsKey(e.getKey())) toInsert.put(e.getKey(), e.getValue());
      else toDelete.remove(e.getKey()); // finished meanwhile: neither row nor delete needed
    }
    toDelete.addAll(b.toDelete());
  }
}
