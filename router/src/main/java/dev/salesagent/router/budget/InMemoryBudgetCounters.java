package dev.salesagent.router.budget;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Budget counters in memory (one process; lost on restart). All state sits behind one lock, so a reservation is
 * atomic across the global and the key's limits. Periods roll over by UTC day and month: a reservation is charged to
 * the periods current when it was taken, and settling moves its amount from reserved to spent there.
 */
public final class InMemoryBudgetCounters implements BudgetCounters {
  private static final String GLOBAL = "global";

  private final BudgetLimits global;
  private final Function<String, BudgetLimits> perKeyLimits;
  private final Clock clock;
  /** scope -> periodKey -> [spent, reserved]. */
  private final Map<String, Map<String, double[]>> counters = new HashMap<>();
  private long cachedEpochDay = Long.MIN_VALUE;
  private String cachedDay;
  private String cachedMonth;
  private final Map<String, Held> held = new HashMap<>();

  private record Held(String apiKeyId, String day, String month, double usd) {}

  public InMemoryBudgetCounters(BudgetLimits global, Function<String, BudgetLimits> perKeyLimits) {
    this(global, perKeyLimits, Clock.systemUTC());
  }

  public InMemoryBudgetCounters(BudgetLimits global, Function<String, BudgetLimits> perKeyLimits, Clock clock) {
    this.global = global == null ? BudgetLimits.NONE : global;
    this.perKeyLimits = perKeyLimits == null ? k -> BudgetLimits.NONE : perKeyLimits;
    this.clock = clock;
  }

  /** No limits at all: reservations always succeed (spend is still counted). */
  public static InMemoryBudgetCounters unlimited() {
    return new InMemoryBudgetCounters(BudgetLimits.NONE, k -> BudgetLimits.NONE);
  }

  /** Today (UTC) as {@code yyyy-MM-dd}; recomputed only when the day changes, so planning reads allocate nothing. */
  private synchronized String day() {
    long epochDay = Math.floorDiv(clock.millis(), 86_400_000L);
    if (epochDay != cachedEpochDay) {
      cachedDay = LocalDate.ofEpochDay(epochDay).toString();
      cachedMonth = cachedDay.substring(0, 7);
      cachedEpochDay = epochDay;
    }
    return cachedDay;
  }

  private synchronized String monthOf(String day) {
    return day == cachedDay ? cachedMonth : day.substring(0, 7);
  }

  private BudgetLimits keyLimits(String apiKeyId) {
    if (apiKeyId == null) return BudgetLimits.NONE;
    BudgetLimits l = perKeyLimits.apply(apiKeyId);
    return l == null ? BudgetLimits.NONE : l;
  }

  private double[] counter(String scope, String periodKey) {
    Map<String, double[]> m = counters.get(scope);
    if (m == null) {
      m = new HashMap<>();
      counters.put(scope, m);
    }
    double[] c = m.get(periodKey);
    if (c == null) {
      c = new double[2];
      m.put(periodKey, c);
    }
    return c;
  }

  @Override
  public Future<Reservation> reserve(String reservationId, String apiKeyIdOrNull, double usd) {
    if (usd < 0 || Double.isNaN(usd)) return Future.failedFuture(new IllegalArgumentException("usd must be >= 0"));
    String day = day();
    String month = monthOf(day);
    BudgetLimits keyLimits = keyLimits(apiKeyIdOrNull);
    String keyScope = apiKeyIdOrNull == null ? null : "key:" + apiKeyIdOrNull;
    synchronized (this) {
      String refusal = check(GLOBAL, "global", global, day, month, usd);
      if (refusal == null && keyScope != null) refusal = check(keyScope, "key " + apiKeyIdOrNull, keyLimits, day, month, usd);
      if (refusal != null) {
        return Future.failedFuture(LlmException.builder(ErrorKind.BUDGET_EXCEEDED, refusal).build());
      }
      counter(GLOBAL, day)[1] += usd;
      counter(GLOBAL, month)[1] += usd;
      if (keyScope != null) {
        counter(keyScope, day)[1] += usd;
        counter(keyScope, month)[1] += usd;
      }
      held.put(reservationId, new Held(apiKeyIdOrNull, day, month, usd));
    }
    return Future.succeededFuture(new Reservation(reservationId, apiKeyIdOrNull, usd));
  }

  private String check(String scope, String label, BudgetLimits limits, String day, String month, double usd) {
    if (limits.dailyUsd() != null) {
      double[] c = counter(scope, day);
      double left = limits.dailyUsd() - c[0] - c[1];
      if (usd > left + 1e-12) {
        return String.format(Locale.ROOT, "%s daily budget of $%s exhausted: $%.6f left today (UTC), this call needs up to $%.6f",
            label, fmt(limits.dailyUsd()), Math.max(0, left), usd);
      }
    }
    if (limits.monthlyUsd() != null) {
      double[] c = counter(scope, month);
      double left = limits.monthlyUsd() - c[0] - c[1];
      if (usd > left + 1e-12) {
        return String.format(Locale.ROOT, "%s monthly budget of $%s exhausted: $%.6f left this month (UTC), this call needs up to $%.6f",
            label, fmt(limits.monthlyUsd()), Math.max(0, left), usd);
      }
    }
    return null;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  @Override
  public Future<Void> settle(String reservationId, double actualUsd) {
    synchronized (this) {
      Held h = held.remove(reservationId);
      if (h != null) apply(h, Math.max(0, actualUsd));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> release(String reservationId) {
    synchronized (this) {
      Held h = held.remove(reservationId);
      if (h != null) apply(h, 0);
    }
    return Future.succeededFuture();
  }

  private void apply(Held h, double spent) {
    List<String> scopes = new ArrayList<>(2);
    scopes.add(GLOBAL);
    if (h.apiKeyId() != null) scopes.add("key:" + h.apiKeyId());
    for (String s : scopes) {
      for (String p : new String[] {h.day(), h.month()}) {
        double[] c = counter(s, p);
        c[1] = Math.max(0, c[1] - h.usd());
        c[0] += spent;
      }
    }
  }

  @Override
  public synchronized Future<BudgetSnapshot> snapshot(String apiKeyIdOrNull) {
    String day = day();
    String month = monthOf(day);
    List<BudgetSnapshot.Scope> out = new ArrayList<>(4);
    addScopes(out, GLOBAL, global, day, month);
    if (apiKeyIdOrNull != null) addScopes(out, "key:" + apiKeyIdOrNull, keyLimits(apiKeyIdOrNull), day, month);
    return Future.succeededFuture(new BudgetSnapshot(out));
  }

  private void addScopes(List<BudgetSnapshot.Scope> out, String scope, BudgetLimits limits, String day, String month) {
    double[] d = counter(scope, day);
    double[] m = counter(scope, month);
    out.add(new BudgetSnapshot.Scope(scope, "daily", day, limits.dailyUsd(), d[0], d[1],
        limits.dailyUsd() == null ? null : Math.max(0, limits.dailyUsd() - d[0] - d[1])));
    out.add(new BudgetSnapshot.Scope(scope, "monthly", month, limits.monthlyUsd(), m[0], m[1],
        limits.monthlyUsd() == null ? null : Math.max(0, limits.monthlyUsd() - m[0] - m[1])));
  }

  @Override
  public synchronized double remainingUsd(String apiKeyIdOrNull) {
    String day = day();
    String month = monthOf(day);
    double min = Double.POSITIVE_INFINITY;
    min = Math.min(min, left(GLOBAL, global, day, month));
    if (apiKeyIdOrNull != null && !perKeyUnlimited(apiKeyIdOrNull)) min = Math.min(min, left("key:" + apiKeyIdOrNull, keyLimits(apiKeyIdOrNull), day, month));
    return min;
  }

  private boolean perKeyUnlimited(String apiKeyId) {
    return keyLimits(apiKeyId).unlimited();
  }

  private double left(String scope, BudgetLimits l, String day, String month) {
    if (l.unlimited()) return Double.POSITIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    if (l.dailyUsd() != null) {
      double[] c = counter(scope, day);
      min = Math.min(min, Math.max(0, l.dailyUsd() - c[0] - c[1]));
    }
    if (l.monthlyUsd() != null) {
      double[] c = counter(scope, month);
      min = Math.min(min, Math.max(0, l.monthlyUsd() - c[0] - c[1]));
    }
    return min;
  }
}
