package dev.salesagent.router.budget;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Budget counters in this process, behind one lock: a claim is checked and taken in one critical section, so it is
 * atomic across every line it touches, with no I/O on the request path. A {@link Journal} (the durable store's
 * write-behind) hears of every change inside that critical section, in order.
 */
public final class LocalBudgetStore implements LocalCounters {

  /** Told of each change under the store's lock; must not block (queue it). */
  public interface Journal {
    Journal NONE = new Journal() {
      @Override public void taken(String id, BudgetClaim held) {}
      @Override public void finished(String id, BudgetClaim held, long spentNanos) {}
    };

    void taken(String id, BudgetClaim held);

    void finished(String id, BudgetClaim held, long spentNanos);
  }

  private final Journal journal;
  /** counter -> [spent, reserved], nano-dollars. */
  private final Map<CounterKey, long[]> counters = new HashMap<>();
  /** Reservations being held: the claim each was taken with (its counters and amount). */
  private final Map<String, BudgetClaim> held = new HashMap<>();

  public LocalBudgetStore() {
    this(Journal.NONE);
  }

  public LocalBudgetStore(Journal journal) {
    this.journal = journal;
  }

  private long[] counter(CounterKey k) {
    long[] c = counters.get(k);
    if (c == null) {
      c = new long[2];
      counters.put(k, c);
    }
    return c;
  }

  private static final Future<BudgetClaim.Outcome> TAKEN = Future.succeededFuture(BudgetClaim.TAKEN);

  @Override
  public Future<BudgetClaim.Outcome> reserve(String reservationId, BudgetClaim claim) {
    BudgetClaim.Outcome o = reserveNow(reservationId, claim);
    return o == BudgetClaim.TAKEN ? TAKEN : Future.succeededFuture(o);
  }

  /** {@link #reserve}, answered at once. */
  public synchronized BudgetClaim.Outcome reserveNow(String reservationId, BudgetClaim claim) {
    return take(reservationId, claim, true);
  }

  @Override
  public synchronized void recordTaken(String reservationId, BudgetClaim claim) {
    take(reservationId, claim, false);
  }

  /** Without a durable record behind it, this process's own counters are all there is. */
  @Override
  public synchronized Map<CounterKey, long[]> durableCounters(java.util.Collection<String> periodKeys) {
    Map<CounterKey, long[]> out = new HashMap<>();
    counters.forEach((k, v) -> {
      if (periodKeys.contains(k.periodKey())) out.put(k, v.clone());
    });
    return out;
  }

  private BudgetClaim.Outcome take(String reservationId, BudgetClaim claim, boolean check) {
    List<BudgetClaim.Line> lines = claim.lines();
    for (int i = 0; check && i < lines.size(); i++) {
      BudgetClaim.Line l = lines.get(i);
      if (!l.limited()) continue;
      long[] c = counters.get(l.key());
      long left = c == null ? l.limitNanos() : l.limitNanos() - c[0] - c[1];
      if (claim.nanos() > left) return new BudgetClaim.Refused(l, left);
    }
    for (int i = 0; i < lines.size(); i++) counter(lines.get(i).key())[1] += claim.nanos();
    held.put(reservationId, claim);
    journal.taken(reservationId, claim);
    return BudgetClaim.TAKEN;
  }

  @Override
  public Future<Void> finish(String reservationId, long spentNanos) {
    finishNow(reservationId, spentNanos);
    return Future.succeededFuture();
  }

  /** {@link #finish}, done at once; false when the id is not held. */
  public synchronized boolean finishNow(String reservationId, long spentNanos) {
    BudgetClaim h = held.remove(reservationId);
    if (h == null) return false;
    long spent = spentNanos == RESERVED ? h.nanos() : spentNanos;
    List<BudgetClaim.Line> lines = h.lines();
    for (int i = 0; i < lines.size(); i++) {
      long[] c = counter(lines.get(i).key());
      c[0] += spent;
      c[1] -= h.nanos();
    }
    journal.finished(reservationId, h, spent);
    return true;
  }

  @Override
  public synchronized long[] counts(CounterKey key) {
    long[] c = counters.get(key);
    return c == null ? new long[2] : c.clone();
  }

  @Override
  public synchronized long used(CounterKey key) {
    long[] c = counters.get(key);
    return c == null ? 0 : c[0] + c[1];
  }

  // ---- for a durable store: loading and refreshing the view ----------------------------------------------------

  /** Adopts counters and open reservations read at start-up (the journal hears nothing of them). */
  public synchronized void load(Map<CounterKey, long[]> loadedCounters, Map<String, BudgetClaim> openReservations) {
    loadedCounters.forEach((k, v) -> counters.put(k, new long[] {v[0], v[1]}));
    held.putAll(openReservations);
  }

  /** The reservations held now (a copy): a durable store looks for stale ones among them at start-up. */
  public synchronized Map<String, BudgetClaim> held() {
    return Map.copyOf(held);
  }

  /**
   * Replaces counters with fresher values (what every replica has written), each plus {@code pending}: this store's
   * changes not written yet, which the journal adds to the array it is given.
   */
  public synchronized void refresh(Map<CounterKey, long[]> fresh, BiConsumer<CounterKey, long[]> pending) {
    fresh.forEach((k, v) -> {
      long[] c = {v[0], v[1]};
      pending.accept(k, c);
      counters.put(k, c);
    });
  }
}
