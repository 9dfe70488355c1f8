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

  /**
   * The claim lines of the current UTC day and month — the global ones, and per API key the global ones followed by
   * the key's — built once per day (and again when a key's limits change), so a reservation allocates only its claim.
   */
  private record Periods(long epochDay, String day, String month, List<BudgetClaim.Line> globalLines) {}

  private record KeyLines(String day, long dailyLimit, long monthlyLimit, List<BudgetClaim.Line> lines) {}

  private volatile Periods periods;
  private final Map<String, KeyLines> keyLines = new ConcurrentHashMap<>();

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
      p = new Periods(epochDay, day, month, List.of(
          new BudgetClaim.Line(new CounterKey(CounterKey.GLOBAL, day), BudgetClaim.Period.DAILY, UsdNanos.limit(global.dailyUsd())),
          new BudgetClaim.Line(new CounterKey(CounterKey.GLOBAL, month), BudgetClaim.Period.MONTHLY,
              UsdNanos.limit(global.monthlyUsd()))));
      periods = p;
      keyLines.clear();
    }
    return p;
  }

  /** The lines a call is checked against: the global ones, then the key's when there is a key. */
  private List<BudgetClaim.Line> lines(Periods p, String apiKeyIdOrNull) {
    if (apiKeyIdOrNull == null) return p.globalLines();
    BudgetLimits l = keyLimits(apiKeyIdOrNull);
    long daily = UsdNanos.limit(l.dailyUsd());
    long monthly = UsdNanos.limit(l.monthlyUsd());
    KeyLines k = keyLines.get(apiKeyIdOrNull);
    if (k == null || !k.day().equals(p.day()) || k.dailyLimit() != daily || k.monthlyLimit() != monthly) {
      String scope = CounterKey.keyScope(apiKeyIdOrNull);
      k = new KeyLines(p.day(), daily, monthly, List.of(p.globalLines().get(0), p.globalLines().get(1),
          new BudgetClaim.Line(new CounterKey(scope, p.day()), BudgetClaim.Period.DAILY, daily),
          new BudgetClaim.Line(new CounterKey(scope, p.month()), BudgetClaim.Period.MONTHLY, monthly)));
      keyLines.put(apiKeyIdOrNull, k);
    }
    return k.lines();
  }

  private BudgetLimits keyLimits(String apiKeyId) {
    BudgetLimits l = perKeyLimits.apply(apiKeyId);
    return l == null ? BudgetLimits.NONE : l;
  }

  @Override
  public Future<Reservation> reserve(String reservationId, String apiKeyIdOrNull, double usd) {
    if (!(usd >= 0) || Double.isInfinite(usd)) {
      return Future.failedFuture(new IllegalArgumentException("usd must be a finite number >= 0, got " + usd));
    }
    List<BudgetClaim.Line> lines = lines(periods(), apiKeyIdOrNull);
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
    List<BudgetClaim.Line> lines = lines(periods(), apiKeyIdOrNull);
    long min = UsdNanos.NONE;
    for (int i = 0; i < lines.size(); i++) {
      BudgetClaim.Line l = lines.get(i);
      if (l.limited()) min = Math.min(min, Math.max(0, l.limitNanos() - store.used(l.key())));
    }
    return min == UsdNanos.NONE ? Double.POSITIVE_INFINITY : UsdNanos.usd(min);
  }

  @Override
  public Future<BudgetSnapshot> snapshot(String apiKeyIdOrNull) {
    return Future.succeededFuture(snapshotNow(apiKeyIdOrNull));
  }

  /** Where the budgets stand as the store knows it now. Non-blocking. */
  public BudgetSnapshot snapshotNow(String apiKeyIdOrNull) {
    List<BudgetClaim.Line> lines = lines(periods(), apiKeyIdOrNull);
    BudgetLimits kl = apiKeyIdOrNull == null ? null : keyLimits(apiKeyIdOrNull);
    List<BudgetSnapshot.Scope> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      BudgetLimits limits = i < 2 ? global : kl;
      BudgetClaim.Line l = lines.get(i);
      boolean daily = l.period() == BudgetClaim.Period.DAILY;
      out.add(scope(l, daily ? "daily" : "monthly", daily ? limits.dailyUsd() : limits.monthlyUsd()));
    }
    return new BudgetSnapshot(out);
  }

  private BudgetSnapshot.Scope scope(BudgetClaim.Line line, String period, Double limitUsd) {
    long[] c = store.counts(line.key());
    boolean limited = line.limited();
    return new BudgetSnapshot.Scope(line.key().scope(), period, line.key().periodKey(), limited ? limitUsd : null,
        UsdNanos.usd(c[0]), UsdNanos.usd(Math.max(0, c[1])),
        limited ? UsdNanos.usd(Math.max(0, line.limitNanos() - c[0] - c[1])) : null);
  }
}
