package dev.salesagent.router.budget;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The one budget decision engine: which limits a call is checked against (global and the key's, daily and monthly,
 * in UTC periods), how amounts are counted (whole nano-dollars: a tiny positive reservation still counts, a release
 * leaves nothing behind), what is refused and how the refusal reads, what settling charges, and what is left. Where
 * the counters live is the {@link BudgetStore}'s business — in memory, written behind to a database, or shared —
 * and the store applies each claim atomically, so concurrent reservations never take more than a limit.
 *
 * <p>Rules: a limit that is absent ({@code null}) or infinite does not limit (spend is still counted); an amount to
 * reserve must be finite and non-negative; a settled cost that is negative or NaN charges nothing, an infinite one
 * charges what was reserved (the estimate is the best finite figure there is). A reservation is charged to the
 * periods current when it was taken.
 *
 * <p>Non-blocking; the per-key limit function is called on the caller's thread (the event loop): it must not block.
 */
public class BudgetEngine implements BudgetCounters {
  private final BudgetLimits global;
  private final Function<String, BudgetLimits> perKeyLimits;
  private final Clock clock;
  private final BudgetStore store;

  /** The counter keys of the current UTC day and month: replaced when the day changes, so reads allocate nothing. */
  private record Periods(long epochDay, String day, String month, CounterKey globalDay, CounterKey globalMonth) {}

  private volatile Periods periods;
  /** apiKeyId -> {day counter, month counter} of {@link #periods}. */
  private final Map<String, CounterKey[]> keyCounters = new ConcurrentHashMap<>();

  public BudgetEngine(BudgetLimits global, Function<String, BudgetLimits> perKeyLimits, Clock clock, BudgetStore store) {
    this.global = global == null ? BudgetLimits.NONE : global;
    this.perKeyLimits = perKeyLimits == null ? k -> BudgetLimits.NONE : perKeyLimits;
    this.clock = clock == null ? Clock.systemUTC() : clock;
    this.store = store;
  }

  public BudgetStore store() {
    return store;
  }

  private Periods periods() {
    long epochDay = Math.floorDiv(clock.millis(), 86_400_000L);
    Periods p = periods;
    if (p == null || p.epochDay() != epochDay) {
      String day = LocalDate.ofEpochDay(epochDay).toString();
      String month = day.substring(0, 7);
      p = new Periods(epochDay, day, month, new CounterKey(CounterKey.GLOBAL, day), new CounterKey(CounterKey.GLOBAL, month));
      periods = p;
      keyCounters.clear();
    }
    return p;
  }

  private CounterKey[] keyCounters(Periods p, String apiKeyId) {
    CounterKey[] k = keyCounters.get(apiKeyId);
    if (k == null || !k[0].periodKey().equals(p.day())) {
      String scope = CounterKey.keyScope(apiKeyId);
      k = new CounterKey[] {new CounterKey(scope, p.day()), new CounterKey(scope, p.month())};
      keyCounters.put(apiKeyId, k);
    }
    return k;
  }

  private BudgetLimits keyLimits(String apiKeyId) {
    if (apiKeyId == null) return BudgetLimits.NONE;
    BudgetLimits l = perKeyLimits.apply(apiKeyId);
    return l == null ? BudgetLimits.NONE : l;
  }

  @Override
  public Future<Reservation> reserve(String reservationId, String apiKeyIdOrNull, double usd) {
    if (!(usd >= 0) || Double.isInfinite(usd)) {
      return Future.failedFuture(new IllegalArgumentException("usd must be a finite number >= 0, got " + usd));
    }
    Periods p = periods();
    BudgetClaim.Line globalDay = new BudgetClaim.Line(p.globalDay(), BudgetClaim.Period.DAILY, UsdNanos.limit(global.dailyUsd()));
    BudgetClaim.Line globalMonth = new BudgetClaim.Line(p.globalMonth(), BudgetClaim.Period.MONTHLY,
        UsdNanos.limit(global.monthlyUsd()));
    List<BudgetClaim.Line> lines;
    if (apiKeyIdOrNull == null) {
      lines = List.of(globalDay, globalMonth);
    } else {
      BudgetLimits kl = keyLimits(apiKeyIdOrNull);
      CounterKey[] k = keyCounters(p, apiKeyIdOrNull);
      lines = List.of(globalDay, globalMonth,
          new BudgetClaim.Line(k[0], BudgetClaim.Period.DAILY, UsdNanos.limit(kl.dailyUsd())),
          new BudgetClaim.Line(k[1], BudgetClaim.Period.MONTHLY, UsdNanos.limit(kl.monthlyUsd())));
    }
    Future<BudgetClaim.Outcome> taken = store.reserve(reservationId, new BudgetClaim(lines, UsdNanos.reserve(usd)));
    // A local store answers at once: no extra future on the request path.
    return taken.succeeded() ? decided(taken.result(), reservationId, apiKeyIdOrNull, usd)
        : taken.compose(o -> decided(o, reservationId, apiKeyIdOrNull, usd));
  }

  private static Future<Reservation> decided(BudgetClaim.Outcome o, String reservationId, String apiKeyId, double usd) {
    return o instanceof BudgetClaim.Refused r
        ? Future.failedFuture(LlmException.builder(ErrorKind.BUDGET_EXCEEDED, refusal(r, apiKeyId, usd)).build())
        : Future.succeededFuture(new Reservation(reservationId, apiKeyId, usd));
  }

  /** {@code key k daily budget of $0.5 exhausted: $0.100000 left today (UTC), this call needs up to $0.200000}. */
  private static String refusal(BudgetClaim.Refused r, String apiKeyId, double usd) {
    String label = r.line().key().scope().equals(CounterKey.GLOBAL) ? "global" : "key " + apiKeyId;
    boolean daily = r.line().period() == BudgetClaim.Period.DAILY;
    return String.format(Locale.ROOT, "%s %s budget of $%s exhausted: $%.6f left %s (UTC), this call needs up to $%.6f",
        label, daily ? "daily" : "monthly", fmt(UsdNanos.usd(r.line().limitNanos())),
        Math.max(0, UsdNanos.usd(r.leftNanos())), daily ? "today" : "this month", usd);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  @Override
  public Future<Void> settle(String reservationId, double actualUsd) {
    long spent = Double.isNaN(actualUsd) || actualUsd <= 0 ? 0
        : Double.isInfinite(actualUsd) ? BudgetStore.RESERVED
        : UsdNanos.nearest(actualUsd);
    return store.finish(reservationId, spent);
  }

  @Override
  public Future<Void> release(String reservationId) {
    return store.finish(reservationId, 0);
  }

  @Override
  public double remainingUsd(String apiKeyIdOrNull) {
    Periods p = periods();
    long min = UsdNanos.NONE;
    min = Math.min(min, left(p.globalDay(), UsdNanos.limit(global.dailyUsd())));
    min = Math.min(min, left(p.globalMonth(), UsdNanos.limit(global.monthlyUsd())));
    if (apiKeyIdOrNull != null) {
      BudgetLimits kl = keyLimits(apiKeyIdOrNull);
      if (!kl.unlimited()) {
        CounterKey[] k = keyCounters(p, apiKeyIdOrNull);
        min = Math.min(min, left(k[0], UsdNanos.limit(kl.dailyUsd())));
        min = Math.min(min, left(k[1], UsdNanos.limit(kl.monthlyUsd())));
      }
    }
    return min == UsdNanos.NONE ? Double.POSITIVE_INFINITY : UsdNanos.usd(min);
  }

  /** What is left under one limit, never negative; {@link UsdNanos#NONE} when it does not limit. */
  private long left(CounterKey key, long limit) {
    return limit == UsdNanos.NONE ? UsdNanos.NONE : Math.max(0, limit - store.used(key));
  }

  @Override
  public Future<BudgetSnapshot> snapshot(String apiKeyIdOrNull) {
    return Future.succeededFuture(snapshotNow(apiKeyIdOrNull));
  }

  /** Where the budgets stand as the store knows it now. Non-blocking. */
  public BudgetSnapshot snapshotNow(String apiKeyIdOrNull) {
    Periods p = periods();
    List<BudgetSnapshot.Scope> out = new ArrayList<>(4);
    out.add(scope(p.globalDay(), "daily", global.dailyUsd()));
    out.add(scope(p.globalMonth(), "monthly", global.monthlyUsd()));
    if (apiKeyIdOrNull != null) {
      BudgetLimits kl = keyLimits(apiKeyIdOrNull);
      CounterKey[] k = keyCounters(p, apiKeyIdOrNull);
      out.add(scope(k[0], "daily", kl.dailyUsd()));
      out.add(scope(k[1], "monthly", kl.monthlyUsd()));
    }
    return new BudgetSnapshot(out);
  }

  private BudgetSnapshot.Scope scope(CounterKey key, String period, Double limitUsd) {
    long[] c = store.counts(key);
    long limit = UsdNanos.limit(limitUsd);
    boolean limited = limit != UsdNanos.NONE;
    return new BudgetSnapshot.Scope(key.scope(), period, key.periodKey(), limited ? limitUsd : null,
        UsdNanos.usd(c[0]), UsdNanos.usd(Math.max(0, c[1])),
        limited ? UsdNanos.usd(Math.max(0, limit - c[0] - c[1])) : null);
  }
}
