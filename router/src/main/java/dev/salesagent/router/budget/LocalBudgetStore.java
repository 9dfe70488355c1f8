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
public final class LocalBudgetStore implements BudgetStore {

  /** A reservation being held: the counters it reserved on and how much. */
  public record Hold(List<CounterKey> counters, long nanos) {}

  /** Told of each change under the store's lock; must not block (queue it). */
  public interface Journal {
    Journal NONE = new Journal() {
      @Override public void taken(String id, Hold hold) {}
      @Override public void finished(String id, Hold hold, long spentNanos) {}
    };

    void taken(String id, Hold hold);

    void finished(String id, Hold hold, long spentNanos);
  }

  private final Journal journal;
  /** counter -> [spent, reserved], nano-dollars. */
  private final Map<CounterKey, long[]> counters = new HashMap<>();
  private final Map<String, Hold> held = new HashMap<>();

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

  @Override
  public Future<BudgetClaim.Outcome> reserve(String reservationId, BudgetClaim claim) {
    return Future.succeededFuture(reserveNow(reservationId, claim));
  }

  /** {@link #reserve}, answered at once. */
  public synchronized BudgetClaim.Outcome reserveNow(String reservationId, BudgetClaim claim) {
    List<BudgetClaim.Line> lines = claim.lines();
    for (int i = 0; i < lines.size(); i++) {
      BudgetClaim.Line l = lines.get(i);
      if (!l.limited()) continue;
      long[] c = counters.get(l.key());
      long left = c == null ? l.limitNanos() : l.limitNanos() - c[0] - c[1];
      if (claim.nanos() > left) return new BudgetClaim.Refused(l, left);
    }
    CounterKey[] keys = new CounterKey[lines.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = lines.get(i).key();
      counter(keys[i])[1] += claim.nanos();
    }
    Hold h = new Hold(List.of(keys), claim.nanos());
    held.put(reservationId, h);
    journal.taken(reservationId, h);
    return BudgetClaim.TAKEN;
  }

  @Override
  public Future<Void> finish(String reservationId, long spentNanos) {
    finishNow(reservationId, spentNanos);
    return Future.succeededFuture();
  }

  /** {@link #finish}, done at once; false when the id is not held. */
  public synchronized boolean finishNow(String reservationId, long spentNanos) {
    Hold h = held.remove(reservationId);
    if (h == null) return false;
    long spent = spentNanos == RESERVED ? h.nanos() : spentNanos;
    for (CounterKey k : h.counters()) {
      long[] c = counter(k);
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
  public synchronized void load(Map<CounterKey, long[]> loadedCounters, Map<String, Hold> openReservations) {
    loadedCounters.forEach((k, v) -> counters.put(k, new long[] {v[0], v[1]}));
    held.putAll(openReservations);
  }

  /** The reservations held now (a copy): a durable store looks for stale ones among them at start-up. */
  public synchronized Map<String, Hold> held() {
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
