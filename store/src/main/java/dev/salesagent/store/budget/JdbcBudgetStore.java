package dev.salesagent.store.budget;

import dev.salesagent.router.budget.BudgetClaim;
import dev.salesagent.router.budget.BudgetStore;
import dev.salesagent.router.budget.CounterKey;
import dev.salesagent.router.budget.LocalBudgetStore;
import dev.salesagent.router.budget.LocalCounters;
import dev.salesagent.router.budget.UsdNanos;
import dev.salesagent.store.Database;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable budget counters: spend and reservations per scope ({@code global}, {@code key:<id>}) and UTC period in
 * {@code budget_counters}, open reservations in {@code budget_reservations}.
 *
 * <p><b>Claims are applied in memory, durability is write-behind.</b> A {@link LocalBudgetStore} takes each claim
 * under one lock against this process's view of the counters — atomic across every line, no database round trip on
 * the request path (a transaction per call would cap the gateway at the database's commit rate). Every change is
 * journaled ({@link WriteBehindJournal}) and one writer thread applies the journal every {@value #FLUSH_MS} ms in a
 * single transaction: reservation rows inserted and deleted, counter rows moved by deltas
 * ({@code spent_usd = spent_usd + ?}), so concurrent writers (several replicas) add up correctly on H2 and PostgreSQL
 * alike. A reservation taken and finished within one flush never touches the reservations table.
 *
 * <p><b>Restarts.</b> At start the counters and the open reservations are loaded: a reservation left by a stopped
 * process keeps counting as reserved until it is older than {@code staleAfter} (longer than any request may run),
 * then it is released. {@link #close} flushes everything; a crash loses at most the last {@value #FLUSH_MS} ms.
 *
 * <p><b>Several replicas</b> sharing one database see each other's spend when the view is refreshed from the
 * database (every {@value #REFRESH_MS} ms): a replica can overshoot a shared limit by at most what the others spent
 * in that window. Strict cross-replica caps are what the architecture puts in Redis (a {@link BudgetStore} whose
 * reserve is one atomic script).
 */
public final class JdbcBudgetStore implements LocalCounters {
  private static final Logger log = LoggerFactory.getLogger(JdbcBudgetStore.class);
  static final long FLUSH_MS = 100;
  static final long REFRESH_MS = 1_000;
  private static final String KEY_PREFIX = CounterKey.keyScope("");

  private final Database db;
  private final Clock clock;
  private final WriteBehindJournal journal;
  private final LocalBudgetStore view;
  private final Thread writer;
  private final Object wake = new Object();
  private volatile boolean closed;
  /** Counter rows known to exist (writer thread, and close after it stopped). */
  private final Set<CounterKey> knownRows = new HashSet<>();

  /** Blocking (loads the counters, releases stale reservations): construct at start-up, off the event loop. */
  public JdbcBudgetStore(Database db, Clock clock, Duration staleAfter) {
    this.db = db;
    this.clock = clock;
    this.journal = new WriteBehindJournal(clock);
    this.view = new LocalBudgetStore(journal);
    load(staleAfter);
    this.writer = new Thread(this::writeLoop, "budget-counters-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public Future<BudgetClaim.Outcome> reserve(String reservationId, BudgetClaim claim) {
    return view.reserve(reservationId, claim);
  }

  @Override
  public Future<Void> finish(String reservationId, long spentNanos) {
    return view.finish(reservationId, spentNanos);
  }

  @Override
  public void recordTaken(String reservationId, BudgetClaim claim) {
    view.recordTaken(reservationId, claim);
  }

  /** Flushes this process's pending changes, then reads the rows of these periods (every replica's flushed changes). */
  @Override
  public Map<CounterKey, long[]> durableCounters(Collection<String> periodKeys) {
    writeOnce();
    Map<CounterKey, long[]> out = new HashMap<>();
    if (periodKeys.isEmpty()) return out;
    db.jdbi().useHandle(h -> h.createQuery(
            "SELECT scope, period_key, spent_usd, reserved_usd FROM budget_counters WHERE period_key IN (<p>)")
        .bindList("p", List.copyOf(periodKeys)).map((rs, ctx) -> {
          out.put(new CounterKey(rs.getString(1), rs.getString(2)), new long[] {nanos(rs, 3), nanos(rs, 4)});
          return null;
        }).list());
    return out;
  }

  @Override
  public long[] counts(CounterKey key) {
    return view.counts(key);
  }

  @Override
  public long used(CounterKey key) {
    return view.used(key);
  }

  // ---- persistence -------------------------------------------------------------------------------------------------

  private void load(Duration staleAfter) {
    OffsetDateTime cutoff = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(staleAfter);
    Map<CounterKey, long[]> counters = new HashMap<>();
    Map<String, BudgetClaim> open = new HashMap<>();
    List<String> stale = new ArrayList<>();
    db.jdbi().useHandle(h -> {
      h.createQuery("SELECT scope, period_key, spent_usd, reserved_usd FROM budget_counters").map((rs, ctx) -> {
        counters.put(new CounterKey(rs.getString(1), rs.getString(2)), new long[] {nanos(rs, 3), nanos(rs, 4)});
        return null;
      }).list();
      h.createQuery("SELECT id, api_key_id, usd, day_key, month_key, created_at FROM budget_reservations").map((rs, ctx) -> {
        String keyId = rs.getString(2);
        List<BudgetClaim.Line> on = new ArrayList<>(4);
        on.add(counted(CounterKey.GLOBAL, rs.getString(4), BudgetClaim.Period.DAILY));
        on.add(counted(CounterKey.GLOBAL, rs.getString(5), BudgetClaim.Period.MONTHLY));
        if (keyId != null) {
          on.add(counted(CounterKey.keyScope(keyId), rs.getString(4), BudgetClaim.Period.DAILY));
          on.add(counted(CounterKey.keyScope(keyId), rs.getString(5), BudgetClaim.Period.MONTHLY));
        }
        open.put(rs.getString(1), new BudgetClaim(on, nanos(rs, 3)));
        if (rs.getObject(6, OffsetDateTime.class).isBefore(cutoff)) stale.add(rs.getString(1));
        return null;
      }).list();
    });
    view.load(counters, open);
    for (String id : stale) view.finishNow(id, 0);
    if (!stale.isEmpty()) {
      writeOnce();
      log.warn("budget counters: released {} stale reservations left by a stopped process", stale.size());
    }
  }

  private void writeLoop() {
    long lastRefresh = System.nanoTime();
    while (true) {
      synchronized (wake) {
        try {
          wake.wait(FLUSH_MS);
        } catch (InterruptedException e) {
          // closing: fall through to the final write
        }
      }
      boolean stop = closed;
      try {
        writeOnce();
        if (System.nanoTime() - lastRefresh > TimeUnit.MILLISECONDS.toNanos(REFRESH_MS)) {
          refresh();
          lastRefresh = System.nanoTime();
        }
      } catch (RuntimeException e) {
        log.error("budget counters: writing to the database failed, will retry", e);
      }
      if (stop) return;
    }
  }

  /** Applies the journal in one transaction. Blocking; on failure it is queued again. */
  public void flush() {
    writeOnce();
  }

  private synchronized void writeOnce() {
    if (journal.isEmpty()) return;
    WriteBehindJournal.Batch b = journal.drain();
    try {
      List<CounterKey> keys = new ArrayList<>(b.deltas().keySet());
      keys.sort((x, y) -> x.scope().equals(y.scope()) ? x.periodKey().compareTo(y.periodKey()) : x.scope().compareTo(y.scope()));
      ensureRows(keys);
      db.jdbi().useTransaction(h -> {
        for (CounterKey k : keys) {
          long[] v = b.deltas().get(k);
          if (v[0] == 0 && v[1] == 0) continue;
          h.createUpdate("UPDATE budget_counters SET spent_usd = spent_usd + :s,"
                  + " reserved_usd = CASE WHEN reserved_usd + :r < 0 THEN 0 ELSE reserved_usd + :r END"
                  + " WHERE scope = :scope AND period_key = :p")
              .bind("s", money(v[0])).bind("r", money(v[1])).bind("scope", k.scope()).bind("p", k.periodKey()).execute();
        }
        if (!b.toInsert().isEmpty()) {
          var batch = h.prepareBatch("INSERT INTO budget_reservations (id, api_key_id, usd, day_key, month_key, created_at)"
              + " VALUES (:id, :k, :u, :d, :m, :at)");
          for (Map.Entry<String, WriteBehindJournal.Row> e : b.toInsert().entrySet()) {
            BudgetClaim x = e.getValue().held();
            String keyId = null;
            String day = null;
            String month = null;
            for (BudgetClaim.Line l : x.lines()) {
              CounterKey k = l.key();
              if (k.scope().startsWith(KEY_PREFIX)) keyId = k.scope().substring(KEY_PREFIX.length());
              if (l.period() == BudgetClaim.Period.DAILY) day = k.periodKey(); else month = k.periodKey();
            }
            batch.bind("id", e.getKey()).bindByType("k", keyId, String.class).bind("u", money(x.nanos()))
                .bind("d", day).bind("m", month).bind("at", e.getValue().at()).add();
          }
          batch.execute();
        }
        if (!b.toDelete().isEmpty()) {
          var batch = h.prepareBatch("DELETE FROM budget_reservations WHERE id = :id");
          for (String id : b.toDelete()) batch.bind("id", id).add();
          batch.execute();
        }
      });
      db.checkpoint(); // the spend written behind is on disk before the next interval (docs/OPERATIONS.md "Durability")
    } catch (RuntimeException e) {
      journal.requeue(b, view.held());
      throw e;
    }
  }

  private void ensureRows(List<CounterKey> keys) {
    List<CounterKey> missing = new ArrayList<>();
    for (CounterKey k : keys) if (!knownRows.contains(k)) missing.add(k);
    if (missing.isEmpty()) return;
    db.jdbi().useHandle(h -> {
      for (CounterKey k : missing) {
        if (exists(h, k)) continue;
        try {
          h.createUpdate("INSERT INTO budget_counters (scope, period_key, spent_usd, reserved_usd) VALUES (:s, :p, 0, 0)")
              .bind("s", k.scope()).bind("p", k.periodKey()).execute();
        } catch (RuntimeException raced) {
          // another replica inserted it first: fine (autocommit, nothing else is rolled back)
        }
      }
    });
    knownRows.addAll(missing);
  }

  private static boolean exists(Handle h, CounterKey k) {
    return h.createQuery("SELECT COUNT(*) FROM budget_counters WHERE scope = :s AND period_key = :p")
        .bind("s", k.scope()).bind("p", k.periodKey()).mapTo(Integer.class).one() > 0;
  }

  /** Re-reads this period's counters: the database holds every replica's flushed changes; ours not yet written are added. */
  private synchronized void refresh() {
    String day = java.time.LocalDate.ofEpochDay(Math.floorDiv(clock.millis(), 86_400_000L)).toString();
    String month = day.substring(0, 7);
    Map<CounterKey, long[]> fresh = new HashMap<>();
    db.jdbi().useHandle(h -> h.createQuery(
            "SELECT scope, period_key, spent_usd, reserved_usd FROM budget_counters WHERE period_key IN (:d, :m)")
        .bind("d", day).bind("m", month).map((rs, ctx) -> {
          fresh.put(new CounterKey(rs.getString(1), rs.getString(2)), new long[] {nanos(rs, 3), nanos(rs, 4)});
          return null;
        }).list());
    view.refresh(fresh, journal::addTo);
  }

  /** A line of a reservation loaded back: only its counter matters now (the limit was checked when it was taken). */
  private static BudgetClaim.Line counted(String scope, String periodKey, BudgetClaim.Period period) {
    return new BudgetClaim.Line(new CounterKey(scope, periodKey), period, UsdNanos.NONE);
  }

  private static long nanos(ResultSet rs, int column) throws SQLException {
    return rs.getBigDecimal(column).setScale(9, RoundingMode.HALF_UP).unscaledValue().longValueExact();
  }

  private static BigDecimal money(long nanos) {
    return BigDecimal.valueOf(nanos, 9);
  }

  /** Writes everything journaled and stops the writer. Idempotent. */
  @Override
  public void close() {
    synchronized (wake) {
      if (closed) return;
      closed = true;
      // Woken, not interrupted: an interrupt landing while the writer is inside H2's file I/O closes H2's channel
      // (ClosedByInterruptException), the database goes with it, and the final write below would then be lost.
      wake.notifyAll();
    }
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      writeOnce();
    } catch (RuntimeException e) {
      log.error("budget counters: final write failed", e);
    }
  }
}
