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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget counters in the database ({@code budget_counters}, {@code budget_reservations}), shared by every replica
 * that uses the same database and durable across restarts.
 *
 * <p><b>Where a limit applies</b> (a global limit, or the key's), a reservation is one transaction: the counter rows
 * of every scope and period involved are locked with {@code SELECT … FOR UPDATE} in a fixed order, every limit is
 * checked, then the reserved amounts and the reservation row are written — so it is taken in all limits or in none,
 * on H2 and PostgreSQL alike. Settling moves the reservation's amount from reserved to spent in the same way.
 *
 * <p><b>Where no limit applies</b> nothing needs enforcing, so nothing touches the database on the request path: the
 * reservation is held in memory and settled spend is added to the counters by a background flush every 500 ms (and
 * on {@link #close}). This keeps unlimited traffic free of a database round trip per call.
 *
 * <p>Reservations left by a process that died are kept (they still count as reserved, conservatively) until they are
 * older than {@code staleAfter}, longer than any request can run; then the next start releases them.
 *
 * <p>The per-key limit function is called on the event loop: it must not block (the server passes its key cache).
 */
public final class JdbcBudgetCounters implements BudgetCounters, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcBudgetCounters.class);
  private static final String GLOBAL = "global";

  private final Vertx vertx;
  private final Database db;
  private final BudgetLimits global;
  private final Function<String, BudgetLimits> perKeyLimits;
  private final Clock clock;
  private final Map<String, Held> fastHeld = new ConcurrentHashMap<>();
  private final Map<String, double[]> pendingSpend = new HashMap<>();
  private final ScheduledExecutorService flusher;

  private record Held(String apiKeyId, String day, String month, double usd) {}

  public JdbcBudgetCounters(Vertx vertx, Database db, BudgetLimits global, Function<String, BudgetLimits> perKeyLimits) {
    this(vertx, db, global, perKeyLimits, Clock.systemUTC(), Duration.ofMinutes(15));
  }

  /** Blocking (releases stale reservations): construct at start-up, off the event loop. */
  public JdbcBudgetCounters(Vertx vertx, Database db, BudgetLimits global, Function<String, BudgetLimits> perKeyLimits,
                            Clock clock, Duration staleAfter) {
    this.vertx = vertx;
    this.db = db;
    this.global = global == null ? BudgetLimits.NONE : global;
    this.perKeyLimits = perKeyLimits == null ? k -> BudgetLimits.NONE : perKeyLimits;
    this.clock = clock;
    releaseStale(staleAfter);
    this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "budget-counters-flush");
      t.setDaemon(true);
      return t;
    });
    flusher.scheduleWithFixedDelay(this::flushQuietly, 500, 500, TimeUnit.MILLISECONDS);
  }

  private String day() {
    return LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
  }

  private BudgetLimits keyLimits(String apiKeyId) {
    if (apiKeyId == null) return BudgetLimits.NONE;
    BudgetLimits l = perKeyLimits.apply(apiKeyId);
    return l == null ? BudgetLimits.NONE : l;
  }

  private static List<String> scopes(String apiKeyId) {
    return apiKeyId == null ? List.of(GLOBAL) : List.of(GLOBAL, "key:" + apiKeyId);
  }

  @Override
  public Future<Reservation> reserve(String reservationId, String apiKeyIdOrNull, double usd) {
    if (usd < 0 || Double.isNaN(usd) || Double.isInfinite(usd)) {
      return Future.failedFuture(new IllegalArgumentException("usd must be a finite number >= 0"));
    }
    String day = day();
    String month = day.substring(0, 7);
    BudgetLimits keyLimits = keyLimits(apiKeyIdOrNull);
    if (global.unlimited() && keyLimits.unlimited()) {
      fastHeld.put(reservationId, new Held(apiKeyIdOrNull, day, month, usd));
      return Future.succeededFuture(new Reservation(reservationId, apiKeyIdOrNull, usd));
    }
    return vertx.executeBlocking(() -> reserveTx(reservationId, apiKeyIdOrNull, usd, day, month, keyLimits), false);
  }

  private Reservation reserveTx(String id, String apiKeyId, double usd, String day, String month, BudgetLimits keyLimits) {
    List<String> scopes = scopes(apiKeyId);
    ensureRows(scopes, day, month);
    BigDecimal amount = money(usd);
    String refusal = db.jdbi().inTransaction(h -> {
      Map<String, BigDecimal[]> rows = lock(h, scopes, day, month);
      String r = check(rows, GLOBAL, "global", global, day, month, usd);
      if (r == null && apiKeyId != null) r = check(rows, "key:" + apiKeyId, "key " + apiKeyId, keyLimits, day, month, usd);
      if (r != null) return r;
      for (String s : scopes) {
        for (String p : List.of(day, month)) {
          h.createUpdate("UPDATE budget_counters SET reserved_usd = reserved_usd + :u WHERE scope = :s AND period_key = :p")
              .bind("u", amount).bind("s", s).bind("p", p).execute();
        }
      }
      h.createUpdate("INSERT INTO budget_reservations (id, api_key_id, usd, day_key, month_key, created_at)"
              + " VALUES (:id, :k, :u, :d, :m, :at)")
          .bind("id", id).bindByType("k", apiKeyId, String.class).bind("u", amount).bind("d", day).bind("m", month)
          .bind("at", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)).execute();
      return null;
    });
    if (refusal != null) throw LlmException.builder(ErrorKind.BUDGET_EXCEEDED, refusal).build();
    return new Reservation(id, apiKeyId, usd);
  }

  private void ensureRows(List<String> scopes, String day, String month) {
    db.jdbi().useHandle(h -> {
      for (String s : scopes) {
        for (String p : List.of(day, month)) {
          boolean exists = h.createQuery("SELECT COUNT(*) FROM budget_counters WHERE scope = :s AND period_key = :p")
              .bind("s", s).bind("p", p).mapTo(Integer.class).one() > 0;
          if (exists) continue;
          try {
            h.createUpdate("INSERT INTO budget_counters (scope, period_key, spent_usd, reserved_usd) VALUES (:s, :p, 0, 0)")
                .bind("s", s).bind("p", p).execute();
          } catch (RuntimeException raced) {
            // another request or replica inserted it first: fine (autocommit, so nothing else is rolled back)
          }
        }
      }
    });
  }

  /** Locks the counter rows in a fixed order (scope, period) so concurrent reservations cannot deadlock. */
  private static Map<String, BigDecimal[]> lock(Handle h, List<String> scopes, String day, String month) {
    Map<String, BigDecimal[]> out = new HashMap<>();
    List<String> sorted = new ArrayList<>(scopes);
    sorted.sort(null);
    for (String s : sorted) {
      for (String p : List.of(day, month).stream().sorted().toList()) {
        BigDecimal[] v = h.createQuery("SELECT spent_usd, reserved_usd FROM budget_counters"
                + " WHERE scope = :s AND period_key = :p FOR UPDATE")
            .bind("s", s).bind("p", p)
            .map((rs, ctx) -> new BigDecimal[] {rs.getBigDecimal(1), rs.getBigDecimal(2)}).findOne()
            .orElse(new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
        out.put(s + '|' + p, v);
      }
    }
    return out;
  }

  private static String check(Map<String, BigDecimal[]> rows, String scope, String label, BudgetLimits limits,
                              String day, String month, double usd) {
    if (limits.dailyUsd() != null) {
      double left = left(rows.get(scope + '|' + day), limits.dailyUsd());
      if (usd > left + 1e-12) {
        return String.format(Locale.ROOT, "%s daily budget of $%s exhausted: $%.6f left today (UTC), this call needs up to $%.6f",
            label, fmt(limits.dailyUsd()), Math.max(0, left), usd);
      }
    }
    if (limits.monthlyUsd() != null) {
      double left = left(rows.get(scope + '|' + month), limits.monthlyUsd());
      if (usd > left + 1e-12) {
        return String.format(Locale.ROOT, "%s monthly budget of $%s exhausted: $%.6f left this month (UTC), this call needs up to $%.6f",
            label, fmt(limits.monthlyUsd()), Math.max(0, left), usd);
      }
    }
    return null;
  }

  private static double left(BigDecimal[] row, double limit) {
    return limit - row[0].doubleValue() - row[1].doubleValue();
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  @Override
  public Future<Void> settle(String reservationId, double actualUsd) {
    return finish(reservationId, Math.max(0, Double.isNaN(actualUsd) ? 0 : actualUsd));
  }

  @Override
  public Future<Void> release(String reservationId) {
    return finish(reservationId, 0);
  }

  private Future<Void> finish(String id, double spent) {
    Held fast = fastHeld.remove(id);
    if (fast != null) {
      if (spent > 0) addPending(fast, spent);
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      settleTx(id, spent);
      return null;
    }, false);
  }

  private void settleTx(String id, double spent) {
    db.jdbi().useTransaction(h -> {
      Optional<Object[]> res = h.createQuery(
              "SELECT api_key_id, usd, day_key, month_key FROM budget_reservations WHERE id = :id FOR UPDATE")
          .bind("id", id)
          .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getBigDecimal(2), rs.getString(3), rs.getString(4)})
          .findOne();
      if (res.isEmpty()) return;
      Object[] r = res.get();
      String key = (String) r[0];
      BigDecimal usd = (BigDecimal) r[1];
      String day = (String) r[2];
      String month = (String) r[3];
      lock(h, scopes(key), day, month);
      BigDecimal actual = money(spent);
      for (String s : scopes(key)) {
        for (String p : List.of(day, month)) {
          h.createUpdate("UPDATE budget_counters SET reserved_usd = CASE WHEN reserved_usd > :u THEN reserved_usd - :u"
                  + " ELSE 0 END, spent_usd = spent_usd + :a WHERE scope = :s AND period_key = :p")
              .bind("u", usd).bind("a", actual).bind("s", s).bind("p", p).execute();
        }
      }
      h.createUpdate("DELETE FROM budget_reservations WHERE id = :id").bind("id", id).execute();
    });
  }

  private void addPending(Held h, double spent) {
    synchronized (pendingSpend) {
      for (String s : scopes(h.apiKeyId())) {
        pendingSpend.computeIfAbsent(s + '|' + h.day(), k -> new double[1])[0] += spent;
        pendingSpend.computeIfAbsent(s + '|' + h.month(), k -> new double[1])[0] += spent;
      }
    }
  }

  /** Writes spend settled on the in-memory path. Blocking. */
  public void flush() {
    Map<String, double[]> batch;
    synchronized (pendingSpend) {
      if (pendingSpend.isEmpty()) return;
      batch = new HashMap<>(pendingSpend);
      pendingSpend.clear();
    }
    try {
      List<String> keys = new ArrayList<>(batch.keySet());
      keys.sort(null);
      for (String k : keys) {
        int bar = k.lastIndexOf('|');
        ensureRows(List.of(k.substring(0, bar)), k.substring(bar + 1), k.substring(bar + 1));
      }
      db.jdbi().useTransaction(h -> {
        for (String k : keys) {
          int bar = k.lastIndexOf('|');
          h.createUpdate("UPDATE budget_counters SET spent_usd = spent_usd + :a WHERE scope = :s AND period_key = :p")
              .bind("a", money(batch.get(k)[0])).bind("s", k.substring(0, bar)).bind("p", k.substring(bar + 1))
              .execute();
        }
      });
    } catch (RuntimeException e) {
      synchronized (pendingSpend) {
        batch.forEach((k, v) -> pendingSpend.computeIfAbsent(k, x -> new double[1])[0] += v[0]);
      }
      throw e;
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.error("budget counters: writing settled spend failed, will retry", e);
    }
  }

  @Override
  public Future<BudgetSnapshot> snapshot(String apiKeyIdOrNull) {
    return vertx.executeBlocking(() -> snapshotNow(apiKeyIdOrNull), false);
  }

  /** The snapshot, read now. Blocking. */
  public BudgetSnapshot snapshotNow(String apiKeyIdOrNull) {
    flushQuietly();
    String day = day();
    String month = day.substring(0, 7);
    List<BudgetSnapshot.Scope> out = new ArrayList<>(4);
    db.jdbi().useHandle(h -> {
      for (String s : scopes(apiKeyIdOrNull)) {
        BudgetLimits l = s.equals(GLOBAL) ? global : keyLimits(apiKeyIdOrNull);
        out.add(scope(h, s, "daily", day, l.dailyUsd()));
        out.add(scope(h, s, "monthly", month, l.monthlyUsd()));
      }
    });
    return new BudgetSnapshot(out);
  }

  private BudgetSnapshot.Scope scope(Handle h, String scope, String period, String key, Double limit) {
    BigDecimal[] v = h.createQuery("SELECT spent_usd, reserved_usd FROM budget_counters WHERE scope = :s AND period_key = :p")
        .bind("s", scope).bind("p", key)
        .map((rs, ctx) -> new BigDecimal[] {rs.getBigDecimal(1), rs.getBigDecimal(2)}).findOne()
        .orElse(new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
    double spent = v[0].doubleValue();
    double reserved = v[1].doubleValue();
    for (Held held : fastHeld.values()) {
      if (scopes(held.apiKeyId()).contains(scope) && (key.equals(held.day()) || key.equals(held.month()))) {
        reserved += held.usd();
      }
    }
    Double remaining = limit == null ? null : Math.max(0, limit - spent - reserved);
    return new BudgetSnapshot.Scope(scope, period, key, limit, spent, reserved, remaining);
  }

  private void releaseStale(Duration staleAfter) {
    OffsetDateTime cutoff = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(staleAfter);
    List<String> stale = db.jdbi().withHandle(h -> h.createQuery(
            "SELECT id FROM budget_reservations WHERE created_at < :c").bind("c", cutoff).mapTo(String.class).list());
    for (String id : stale) settleTx(id, 0);
    if (!stale.isEmpty()) log.warn("budget counters: released {} stale reservations left by a stopped process", stale.size());
  }

  private static BigDecimal money(double usd) {
    return BigDecimal.valueOf(usd).setScale(9, RoundingMode.HALF_UP);
  }

  @Override
  public void close() {
    flusher.shutdown();
    try {
      flusher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushQuietly();
  }
}
