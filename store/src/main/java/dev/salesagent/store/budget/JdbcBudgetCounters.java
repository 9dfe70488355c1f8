package dev.salesagent.store.budget;

import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.budget.BudgetLimits;
import dev.salesagent.router.budget.BudgetSnapshot;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable budget counters: spend and reservations per scope ({@code global}, {@code key:<id>}) and UTC period in
 * {@code budget_counters}, open reservations in {@code budget_reservations}.
 *
 * <p><b>Decisions are in memory, durability is write-behind.</b> A reservation is checked and taken under one lock
 * against this process's view of the counters — atomic across every limit it touches, no database round trip on the
 * request path (a transaction per call would cap the gateway at the database's commit rate). Every change is queued
 * and one writer thread applies the queue every {@value #FLUSH_MS} ms in a single transaction: reservation rows
 * inserted and deleted, counter rows moved by deltas ({@code spent_usd = spent_usd + ?}), so concurrent writers
 * (several replicas) add up correctly on H2 and PostgreSQL alike. A reservation taken and settled within one flush
 * never touches the reservations table.
 *
 * <p><b>Restarts.</b> At start the counters and the open reservations are loaded: a reservation left by a stopped
 * process keeps counting as reserved until it is older than {@code staleAfter} (longer than any request may run),
 * then it is released. {@link #close} flushes everything; a crash loses at most the last {@value #FLUSH_MS} ms.
 *
 * <p><b>Several replicas</b> sharing one database see each other's spend when the view is refreshed from the
 * database (every {@value #REFRESH_MS} ms): a replica can overshoot a shared limit by at most what the others spent
 * in that window. Strict cross-replica caps are what the architecture puts in Redis.
 *
 * <p>The per-key limit function is called on the event loop: it must not block (the server passes its key cache).
 */
public final class JdbcBudgetCounters implements BudgetCounters, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcBudgetCounters.class);
  private static final String GLOBAL = "global";
  static final long FLUSH_MS = 100;
  static final long REFRESH_MS = 1_000;

  private final Database db;
  private final BudgetLimits global;
  private final Function<String, BudgetLimits> perKeyLimits;
  private final Clock clock;

  // All below guarded by `this`.
  /** scope|period -> [spent, reserved]: the view decisions are made on. */
  private final Map<String, double[]> view = new HashMap<>();
  /** scope|period -> [spent delta, reserved delta] not yet written. */
  private Map<String, double[]> deltas = new HashMap<>();
  private final Map<String, Held> held = new HashMap<>();
  /** Reservation rows to insert (id -> held) and to delete, not yet written. */
  private Map<String, Held> toInsert = new LinkedHashMap<>();
  private List<String> toDelete = new ArrayList<>();
  private boolean closed;

  private final Thread writer;
  private final Object wake = new Object();
  /** Counter rows known to exist (writer thread only). */
  private final java.util.Set<String> knownRows = new java.util.HashSet<>();

  private record Held(String apiKeyId, String day, String month, double usd, OffsetDateTime at) {}

  public JdbcBudgetCounters(Vertx vertx, Database db, BudgetLimits global, Function<String, BudgetLimits> perKeyLimits) {
    this(vertx, db, global, perKeyLimits, Clock.systemUTC(), Duration.ofMinutes(15));
  }

  /** Blocking (loads the counters, releases stale reservations): construct at start-up, off the event loop. */
  public JdbcBudgetCounters(Vertx vertx, Database db, BudgetLimits global, Function<String, BudgetLimits> perKeyLimits,
                            Clock clock, Duration staleAfter) {
    this.db = db;
    this.global = global == null ? BudgetLimits.NONE : global;
    this.perKeyLimits = perKeyLimits == null ? k -> BudgetLimits.NONE : perKeyLimits;
    this.clock = clock;
    load(staleAfter);
    this.writer = new Thread(this::writeLoop, "budget-counters-writer");
    writer.setDaemon(true);
    writer.start();
  }

  private volatile long cachedEpochDay = Long.MIN_VALUE;
  private volatile String cachedDay;

  /** Today (UTC) as {@code 2026-11-24}; formatted once per day, not per call. */
  private String day() {
    long epochDay = Math.floorDiv(clock.millis(), 86_400_000L);
    String d = cachedDay;
    if (epochDay != cachedEpochDay || d == null) {
      d = LocalDate.ofEpochDay(epochDay).toString();
      cachedDay = d;
      cachedEpochDay = epochDay;
    }
    return d;
  }

  private BudgetLimits keyLimits(String apiKeyId) {
    if (apiKeyId == null) return BudgetLimits.NONE;
    BudgetLimits l = perKeyLimits.apply(apiKeyId);
    return l == null ? BudgetLimits.NONE : l;
  }

  private static String[] scopes(String apiKeyId) {
    return apiKeyId == null ? new String[] {GLOBAL} : new String[] {GLOBAL, "key:" + apiKeyId};
  }

  @Override
  public Future<Reservation> reserve(String reservationId, String apiKeyIdOrNull, double usd) {
    if (usd < 0 || Double.isNaN(usd) || Double.isInfinite(usd)) {
      return Future.failedFuture(new IllegalArgumentException("usd must be a finite number >= 0"));
    }
    String day = day();
    String month = day.substring(0, 7);
    BudgetLimits keyLimits = keyLimits(apiKeyIdOrNull);
    synchronized (this) {
      String refusal = check(GLOBAL, "global", global, day, month, usd);
      if (refusal == null && apiKeyIdOrNull != null) {
        refusal = check("key:" + apiKeyIdOrNull, "key " + apiKeyIdOrNull, keyLimits, day, month, usd);
      }
      if (refusal != null) return Future.failedFuture(LlmException.builder(ErrorKind.BUDGET_EXCEEDED, refusal).build());
      Held h = new Held(apiKeyIdOrNull, day, month, usd, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
      move(h, 0, usd);
      held.put(reservationId, h);
      toInsert.put(reservationId, h);
    }
    return Future.succeededFuture(new Reservation(reservationId, apiKeyIdOrNull, usd));
  }

  /** Adds spent and reserved amounts to every scope and period of {@code h}, in the view and the deltas. */
  private void move(Held h, double spent, double reserved) {
    for (String s : scopes(h.apiKeyId())) {
      for (String p : new String[] {h.day(), h.month()}) {
        String k = s + '|' + p;
        double[] v = view.computeIfAbsent(k, x -> new double[2]);
        v[0] += spent;
        v[1] = v[1] + reserved < 1e-9 ? 0 : v[1] + reserved;
        double[] d = deltas.computeIfAbsent(k, x -> new double[2]);
        d[0] += spent;
        d[1] += reserved;
      }
    }
  }

  private String check(String scope, String label, BudgetLimits limits, String day, String month, double usd) {
    if (limits.dailyUsd() != null) {
      double left = left(scope + '|' + day, limits.dailyUsd());
      if (usd > left + 1e-12) {
        return String.format(Locale.ROOT, "%s daily budget of $%s exhausted: $%.6f left today (UTC), this call needs up to $%.6f",
            label, fmt(limits.dailyUsd()), Math.max(0, left), usd);
      }
    }
    if (limits.monthlyUsd() != null) {
      double left = left(scope + '|' + month, limits.monthlyUsd());
      if (usd > left + 1e-12) {
        return String.format(Locale.ROOT, "%s monthly budget of $%s exhausted: $%.6f left this month (UTC), this call needs up to $%.6f",
            label, fmt(limits.monthlyUsd()), Math.max(0, left), usd);
      }
    }
    return null;
  }

  private double left(String key, double limit) {
    double[] v = view.get(key);
    return v == null ? limit : limit - v[0] - v[1];
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  @Override
  public Future<Void> settle(String reservationId, double actualUsd) {
    finish(reservationId, Double.isNaN(actualUsd) ? 0 : Math.max(0, actualUsd));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> release(String reservationId) {
    finish(reservationId, 0);
    return Future.succeededFuture();
  }

  private synchronized void finish(String id, double spent) {
    Held h = held.remove(id);
    if (h == null) return;
    move(h, spent, -h.usd());
    if (toInsert.remove(id) == null) toDelete.add(id); // taken and settled within one flush: no row at all
  }

  @Override
  public double remainingUsd(String apiKeyIdOrNull) {
    String day = day();
    String month = day.substring(0, 7);
    double min = Double.POSITIVE_INFINITY;
    synchronized (this) {
      if (global.dailyUsd() != null) min = Math.min(min, left(GLOBAL + '|' + day, global.dailyUsd()));
      if (global.monthlyUsd() != null) min = Math.min(min, left(GLOBAL + '|' + month, global.monthlyUsd()));
      if (apiKeyIdOrNull != null) {
        BudgetLimits k = keyLimits(apiKeyIdOrNull);
        if (k.dailyUsd() != null) min = Math.min(min, left("key:" + apiKeyIdOrNull + '|' + day, k.dailyUsd()));
        if (k.monthlyUsd() != null) min = Math.min(min, left("key:" + apiKeyIdOrNull + '|' + month, k.monthlyUsd()));
      }
    }
    return Math.max(0, min);
  }

  @Override
  public Future<BudgetSnapshot> snapshot(String apiKeyIdOrNull) {
    return Future.succeededFuture(snapshotNow(apiKeyIdOrNull));
  }

  /** The snapshot from this process's view. Non-blocking. */
  public synchronized BudgetSnapshot snapshotNow(String apiKeyIdOrNull) {
    String day = day();
    String month = day.substring(0, 7);
    List<BudgetSnapshot.Scope> out = new ArrayList<>(4);
    for (String s : scopes(apiKeyIdOrNull)) {
      BudgetLimits l = s.equals(GLOBAL) ? global : keyLimits(apiKeyIdOrNull);
      out.add(scope(s, "daily", day, l.dailyUsd()));
      out.add(scope(s, "monthly", month, l.monthlyUsd()));
    }
    return new BudgetSnapshot(out);
  }

  private BudgetSnapshot.Scope scope(String scope, String period, String key, Double limit) {
    double[] v = view.getOrDefault(scope + '|' + key, new double[2]);
    Double remaining = limit == null ? null : Math.max(0, limit - v[0] - v[1]);
    return new BudgetSnapshot.Scope(scope, period, key, limit, v[0], v[1], remaining);
  }

  // ---- persistence -------------------------------------------------------------------------------------------------

  private void load(Duration staleAfter) {
    OffsetDateTime cutoff = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(staleAfter);
    db.jdbi().useHandle(h -> {
      h.createQuery("SELECT scope, period_key, spent_usd, reserved_usd FROM budget_counters").map((rs, ctx) -> {
        view.put(rs.getString(1) + '|' + rs.getString(2),
            new double[] {rs.getBigDecimal(3).doubleValue(), rs.getBigDecimal(4).doubleValue()});
        return null;
      }).list();
      h.createQuery("SELECT id, api_key_id, usd, day_key, month_key, created_at FROM budget_reservations").map((rs, ctx) -> {
        held.put(rs.getString(1), new Held(rs.getString(2), rs.getString(4), rs.getString(5), rs.getBigDecimal(3).doubleValue(),
            rs.getObject(6, OffsetDateTime.class)));
        return null;
      }).list();
    });
    int stale = 0;
    for (Map.Entry<String, Held> e : new ArrayList<>(held.entrySet())) {
      if (e.getValue().at().isBefore(cutoff)) {
        finish(e.getKey(), 0);
        stale++;
      }
    }
    if (stale > 0) {
      writeOnce();
      log.warn("budget counters: released {} stale reservations left by a stopped process", stale);
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
      boolean stop;
      synchronized (this) {
        stop = closed;
      }
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

  /** Applies the queued changes in one transaction. Blocking; on failure they are queued again. */
  public void flush() {
    writeOnce();
  }

  private synchronized void requeue(Map<String, double[]> d, Map<String, Held> ins, List<String> del) {
    d.forEach((k, v) -> {
      double[] cur = deltas.computeIfAbsent(k, x -> new double[2]);
      cur[0] += v[0];
      cur[1] += v[1];
    });
    for (Map.Entry<String, Held> e : ins.entrySet()) {
      if (held.containsKey(e.getKey())) toInsert.put(e.getKey(), e.getValue());
      else toDelete.remove(e.getKey()); // settled meanwhile: neither row nor delete needed
    }
    toDelete.addAll(del);
  }

  private void writeOnce() {
    Map<String, double[]> d;
    Map<String, Held> ins;
    List<String> del;
    synchronized (this) {
      if (deltas.isEmpty() && toInsert.isEmpty() && toDelete.isEmpty()) return;
      d = deltas;
      ins = toInsert;
      del = toDelete;
      deltas = new HashMap<>();
      toInsert = new LinkedHashMap<>();
      toDelete = new ArrayList<>();
    }
    try {
      List<String> keys = new ArrayList<>(d.keySet());
      keys.sort(null);
      ensureRows(keys);
      db.jdbi().useTransaction(h -> {
        for (String k : keys) {
          double[] v = d.get(k);
          if (v[0] == 0 && v[1] == 0) continue;
          int bar = k.lastIndexOf('|');
          h.createUpdate("UPDATE budget_counters SET spent_usd = spent_usd + :s,"
                  + " reserved_usd = CASE WHEN reserved_usd + :r < 0 THEN 0 ELSE reserved_usd + :r END"
                  + " WHERE scope = :scope AND period_key = :p")
              .bind("s", money(v[0])).bind("r", money(v[1])).bind("scope", k.substring(0, bar))
              .bind("p", k.substring(bar + 1)).execute();
        }
        if (!ins.isEmpty()) {
          var b = h.prepareBatch("INSERT INTO budget_reservations (id, api_key_id, usd, day_key, month_key, created_at)"
              + " VALUES (:id, :k, :u, :d, :m, :at)");
          for (Map.Entry<String, Held> e : ins.entrySet()) {
            Held x = e.getValue();
            b.bind("id", e.getKey()).bindByType("k", x.apiKeyId(), String.class).bind("u", money(x.usd()))
                .bind("d", x.day()).bind("m", x.month()).bind("at", x.at()).add();
          }
          b.execute();
        }
        if (!del.isEmpty()) {
          var b = h.prepareBatch("DELETE FROM budget_reservations WHERE id = :id");
          for (String id : del) b.bind("id", id).add();
          b.execute();
        }
      });
      db.checkpoint(); // the spend written behind is on disk before the next interval
    } catch (RuntimeException e) {
      requeue(d, ins, del);
      throw e;
    }
  }

  private void ensureRows(List<String> keys) {
    if (keys.isEmpty()) return;
    List<String> missing = new ArrayList<>();
    synchronized (knownRows) {
      for (String k : keys) if (!knownRows.contains(k)) missing.add(k);
    }
    if (missing.isEmpty()) return;
    db.jdbi().useHandle(h -> {
      for (String k : missing) {
        int bar = k.lastIndexOf('|');
        String s = k.substring(0, bar);
        String p = k.substring(bar + 1);
        if (exists(h, s, p)) continue;
        try {
          h.createUpdate("INSERT INTO budget_counters (scope, period_key, spent_usd, reserved_usd) VALUES (:s, :p, 0, 0)")
              .bind("s", s).bind("p", p).execute();
        } catch (RuntimeException raced) {
          // another replica inserted it first: fine (autocommit, nothing else is rolled back)
        }
      }
    });
    synchronized (knownRows) {
      knownRows.addAll(missing);
    }
  }

  private static boolean exists(Handle h, String s, String p) {
    return h.createQuery("SELECT COUNT(*) FROM budget_counters WHERE scope = :s AND period_key = :p")
        .bind("s", s).bind("p", p).mapTo(Integer.class).one() > 0;
  }

  /** Re-reads this period's counters: the database holds every replica's flushed changes; add ours not yet written. */
  private void refresh() {
    String day = day();
    String month = day.substring(0, 7);
    Map<String, double[]> fresh = new HashMap<>();
    db.jdbi().useHandle(h -> h.createQuery(
            "SELECT scope, period_key, spent_usd, reserved_usd FROM budget_counters WHERE period_key IN (:d, :m)")
        .bind("d", day).bind("m", month).map((rs, ctx) -> {
          fresh.put(rs.getString(1) + '|' + rs.getString(2),
              new double[] {rs.getBigDecimal(3).doubleValue(), rs.getBigDecimal(4).doubleValue()});
          return null;
        }).list());
    synchronized (this) {
      for (Map.Entry<String, double[]> e : fresh.entrySet()) {
        double[] pending = deltas.get(e.getKey());
        double[] v = e.getValue();
        if (pending != null) {
          v[0] += pending[0];
          v[1] = Math.max(0, v[1] + pending[1]);
        }
        view.put(e.getKey(), v);
      }
    }
  }

  private static BigDecimal money(double usd) {
    return BigDecimal.valueOf(usd).setScale(9, RoundingMode.HALF_UP);
  }

  /** Writes everything queued and stops the writer. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    writer.interrupt();
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
