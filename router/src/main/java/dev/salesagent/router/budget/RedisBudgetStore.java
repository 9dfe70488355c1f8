package dev.salesagent.router.budget;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.shared.LuaScript;
import dev.salesagent.router.shared.SharedRedis;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget counters shared by every gateway replica through Redis: each claim is one Lua script, so with any number of
 * replicas no limit is passed by reservations (recorded spend stays within a budget when each reservation covers its
 * cost). The {@link LocalCounters} beside it (the database's write-behind store when there is one) records every
 * reservation Redis granted — the durable record — and is the view {@link #counts} reads, the fallback while Redis is
 * down, and what an emptied Redis is restored from.
 *
 * <p><b>Layout.</b> A hash per counter, {@code sa:{budget}:<scope>:<period>} with fields {@code s} (spent) and
 * {@code r} (reserved), whole nano-dollars, expiring two days after its period ends (a reservation taken before
 * midnight settles after it); a record per reservation in flight, {@code sa:{budget}:res:<id>}, so that a settlement
 * releases exactly what Redis holds even when a call timed out and Redis ran it late, and settling twice counts once.
 * The hash tag keeps every key of a claim in one slot. Lua compares in doubles: exact
 * for counters and limits below 2^53 nano-dollars ($9,007,199); the counters themselves add with {@code HINCRBY},
 * exactly.
 *
 * <p><b>Restore.</b> {@code sa:{budget}:epoch} marks a seeded Redis. Every script checks it first: without it (a new
 * or emptied Redis) nothing is admitted; the replica that sees that reads the counters of the current day and month
 * from the durable record (after writing its own pending changes) and one script writes them all and the marker —
 * unless another replica seeded first — before the claim is tried again.
 *
 * <p><b>Redis down.</b> {@link SharedRedis.Policy#FAIL_OPEN}: claims go to the local counters (limits hold per
 * replica); {@link SharedRedis.Policy#FAIL_CLOSED}: claims are refused as {@code unavailable}. Settling a
 * reservation Redis holds while it is down is queued and applied when it answers again.
 */
public final class RedisBudgetStore implements BudgetStore {
  private static final Logger log = LoggerFactory.getLogger(RedisBudgetStore.class);
  public static final String PREFIX = "sa:{budget}:";
  /** Present (holding the seeding time, ms) while Redis holds restored counters; absent in a new or emptied Redis. */
  public static final String MARKER = PREFIX + "epoch";
  /** A reservation's record: {@code held} while Redis holds it (1 h at most), {@code done} after a local one settled. */
  static final String RESERVATION = PREFIX + "res:";
  private static final int MAX_QUEUED_FINISHES = 100_000;

  /**
   * KEYS: marker, counters, the reservation's record. ARGV: amount, a limit per counter ('-' = none), an expiry per
   * counter (unix s). Returns {1, epoch} taken, {0, line, left} refused, {-1} not seeded, {2} already settled (a
   * late execution of a call that timed out and was decided locally: nothing is taken).
   */
  static final LuaScript RESERVE = LuaScript.of("budget-reserve", """
      local epoch = redis.call('GET', KEYS[1])
      if not epoch then return {-1} end
      local rec = KEYS[#KEYS]
      if redis.call('EXISTS', rec) == 1 then return {2} end
      local n = tonumber(ARGV[1])
      local lines = #KEYS - 2
      for i = 1, lines do
        local lim = ARGV[1 + i]
        if lim ~= '-' then
          local c = redis.call('HMGET', KEYS[1 + i], 's', 'r')
          local left = tonumber(lim) - (tonumber(c[1]) or 0) - (tonumber(c[2]) or 0)
          if n > left then return {0, i - 1, left} end
        end
      end
      for i = 1, lines do
        redis.call('HINCRBY', KEYS[1 + i], 'r', ARGV[1])
        redis.call('EXPIREAT', KEYS[1 + i], ARGV[1 + lines + i])
      end
      redis.call('SET', rec, 'held', 'EX', 3600)
      return {1, epoch}
      """);

  /**
   * KEYS: marker, counters, the reservation's record. ARGV: reserved amount, spent, mode, stamp, an expiry per
   * counter. Mode {@code r}: Redis granted it under epoch {@code stamp}; mode {@code l}: taken on local counters at
   * {@code stamp} (ms) while Redis did not answer. The reservation leaves the reserved totals when Redis holds it
   * (its record says {@code held}, or Redis was restored from the database after it was taken, which counted it);
   * its spend is added in every case. Settling twice changes nothing: a record gone under the same epoch means
   * settled already, and a local one leaves a {@code done} record that also stops a late reservation of that id.
   */
  static final LuaScript FINISH = LuaScript.of("budget-finish", """
      local epoch = redis.call('GET', KEYS[1])
      if not epoch then return 0 end
      local rec = KEYS[#KEYS]
      local state = redis.call('GET', rec)
      if state == 'done' then return 0 end
      local release
      if state == 'held' then
        release = true
      elseif ARGV[3] == 'r' then
        if epoch == ARGV[4] then return 0 end
        release = true
      else
        release = tonumber(epoch) > tonumber(ARGV[4])
      end
      for i = 2, #KEYS - 1 do
        if release then
          local r = redis.call('HINCRBY', KEYS[i], 'r', -tonumber(ARGV[1]))
          if r < 0 then redis.call('HSET', KEYS[i], 'r', 0) end
        end
        redis.call('HINCRBY', KEYS[i], 's', ARGV[2])
        redis.call('EXPIREAT', KEYS[i], ARGV[3 + i])
      end
      if ARGV[3] == 'l' then redis.call('SET', rec, 'done', 'EX', 3600) else redis.call('DEL', rec) end
      return 1
      """);

  /** KEYS: marker, counters. ARGV: the new epoch, then spent, reserved, expiry per counter. */
  static final LuaScript SEED = LuaScript.of("budget-seed", """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      for i = 2, #KEYS do
        local b = 2 + (i - 2) * 3
        redis.call('DEL', KEYS[i])
        redis.call('HSET', KEYS[i], 's', ARGV[b], 'r', ARGV[b + 1])
        redis.call('EXPIREAT', KEYS[i], ARGV[b + 2])
      end
      redis.call('SET', KEYS[1], ARGV[1])
      return 1
      """);

  /** A reservation held here: its claim, and where it was taken ({@code r}: the Redis epoch; {@code l}: the time). */
  private record Held(BudgetClaim claim, String mode, String stamp) {}

  private record QueuedFinish(String id, Held held, long spent) {}

  private final SharedRedis redis;
  private final LocalCounters local;
  private final Clock clock;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  /** A counter's Redis key and expiry, built once (no date parsing on the request path). */
  private record RKey(String name, String expiry) {}

  private final Map<CounterKey, RKey> redisKeys = new ConcurrentHashMap<>();
  private final Queue<QueuedFinish> queued = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedCount = new AtomicInteger();
  private Future<Void> seeding;

  public RedisBudgetStore(SharedRedis redis, LocalCounters local, Clock clock) {
    this.redis = redis;
    this.local = local;
    this.clock = clock == null ? Clock.systemUTC() : clock;
    redis.onUp(this::replayQueued);
  }

  @Override
  public Future<BudgetClaim.Outcome> reserve(String reservationId, BudgetClaim claim) {
    if (!redis.up()) return fallback(reservationId, claim, false);
    return tryReserve(reservationId, claim, true);
  }

  private Future<BudgetClaim.Outcome> tryReserve(String id, BudgetClaim claim, boolean seedIfEmpty) {
    List<BudgetClaim.Line> lines = claim.lines();
    List<String> keys = keys(lines, id);
    List<String> args = new ArrayList<>(1 + 2 * lines.size());
    args.add(Long.toString(claim.nanos()));
    for (int i = 0; i < lines.size(); i++) {
      BudgetClaim.Line l = lines.get(i);
      args.add(l.limited() ? Long.toString(l.limitNanos()) : "-");
    }
    for (int i = 0; i < lines.size(); i++) args.add(expiry(lines.get(i)));
    return redis.eval(RESERVE, keys, args).transform(ar -> {
      if (ar.failed()) return fallback(id, claim, true);
      Response r = ar.result();
      int code = r.get(0).toInteger();
      if (code == 1) {
        held.put(id, new Held(claim, "r", r.get(1).toString()));
        local.recordTaken(id, claim);
        return Future.succeededFuture(BudgetClaim.TAKEN);
      }
      if (code == 0) return Future.succeededFuture(new BudgetClaim.Refused(lines.get(r.get(1).toInteger()), r.get(2).toLong()));
      if (code == 2 || !seedIfEmpty) return fallback(id, claim, false);
      return seed().transform(s -> s.succeeded() ? tryReserve(id, claim, false) : fallback(id, claim, false));
    });
  }

  /** @param maybeRan the call to Redis went out without an answer: Redis may still run it (a timeout) */
  private Future<BudgetClaim.Outcome> fallback(String id, BudgetClaim claim, boolean maybeRan) {
    redis.countBudgetFallback();
    if (redis.policy() == SharedRedis.Policy.FAIL_CLOSED) {
      // Redis may still run the call that did not answer: settle it at nothing once Redis is back.
      if (maybeRan) queue(new QueuedFinish(id, new Held(claim, "l", Long.toString(Math.max(1, clock.millis()))), 0));
      return Future.failedFuture(LlmException.builder(ErrorKind.UNAVAILABLE,
          "shared budget store unreachable and policy fail_closed: no call is admitted until it answers").build());
    }
    return local.reserve(id, claim).onSuccess(o -> {
      if (o == BudgetClaim.TAKEN) held.put(id, new Held(claim, "l", Long.toString(Math.max(1, clock.millis()))));
    });
  }

  @Override
  public Future<Void> finish(String reservationId, long spentNanos) {
    Held h = held.remove(reservationId);
    Future<Void> recorded = local.finish(reservationId, spentNanos);
    if (h == null) return recorded;
    QueuedFinish f = new QueuedFinish(reservationId, h, spentNanos == RESERVED ? h.claim().nanos() : spentNanos);
    if (!redis.up()) {
      queue(f);
      return recorded;
    }
    // Done when Redis has it (so a settled reservation's room is there for the next claim); a failure is queued for
    // when Redis is back, and the durable record has it either way.
    return applyFinish(f).transform(ar -> recorded);
  }

  private Future<Response> applyFinish(QueuedFinish f) {
    List<BudgetClaim.Line> lines = f.held().claim().lines();
    List<String> args = new ArrayList<>(4 + lines.size());
    args.add(Long.toString(f.held().claim().nanos()));
    args.add(Long.toString(f.spent()));
    args.add(f.held().mode());
    args.add(f.held().stamp());
    for (int i = 0; i < lines.size(); i++) args.add(expiry(lines.get(i)));
    return redis.eval(FINISH, keys(lines, f.id()), args).onFailure(t -> queue(f));
  }

  private void queue(QueuedFinish f) {
    if (queuedCount.incrementAndGet() > MAX_QUEUED_FINISHES) {
      queuedCount.decrementAndGet();
      log.warn("shared budgets: too many settlements waiting for Redis; one is kept only in the durable record");
      return;
    }
    queued.add(f);
  }

  private void replayQueued() {
    QueuedFinish f;
    while ((f = queued.poll()) != null) {
      queuedCount.decrementAndGet();
      applyFinish(f);
    }
  }

  /**
   * Seeds an empty Redis from the durable record, once per process at a time (concurrent claims wait for the same
   * seeding). The script writes nothing when another replica's marker is there first.
   */
  synchronized Future<Void> seed() {
    if (seeding != null) return seeding;
    LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(clock.millis(), 86_400_000L));
    List<String> periods = List.of(today.toString(), today.minusDays(1).toString(), today.toString().substring(0, 7));
    Promise<Void> done = Promise.promise();
    seeding = done.future();
    redis.vertx().executeBlocking(() -> local.durableCounters(periods), false).compose(counters -> {
      List<String> keys = new ArrayList<>(1 + counters.size());
      List<String> args = new ArrayList<>(1 + 3 * counters.size());
      keys.add(MARKER);
      args.add(Long.toString(Math.max(1, clock.millis())));
      counters.forEach((k, v) -> {
        keys.add(redisKey(k));
        args.add(Long.toString(v[0]));
        args.add(Long.toString(Math.max(0, v[1])));
        args.add(rkey(k).expiry());
      });
      return redis.eval(SEED, keys, args).map(r -> {
        if (r.toInteger() == 1) {
          log.warn("shared budgets: Redis had no budget counters; restored {} from the durable record", counters.size());
        }
        return (Void) null;
      });
    }).onComplete(ar -> {
      synchronized (this) {
        seeding = null;
      }
      if (ar.failed()) log.warn("shared budgets: restoring Redis from the durable record failed: {}", ar.cause().toString());
      done.handle(ar);
    });
    return done.future();
  }

  /** The marker, the claim's counters, the reservation's record. */
  private List<String> keys(List<BudgetClaim.Line> lines, String reservationId) {
    List<String> keys = new ArrayList<>(2 + lines.size());
    keys.add(MARKER);
    for (int i = 0; i < lines.size(); i++) keys.add(redisKey(lines.get(i).key()));
    keys.add(RESERVATION + reservationId);
    return keys;
  }

  private String redisKey(CounterKey k) {
    return rkey(k).name();
  }

  private String expiry(BudgetClaim.Line l) {
    return rkey(l.key()).expiry();
  }

  private RKey rkey(CounterKey k) {
    RKey r = redisKeys.get(k);
    if (r == null) {
      if (redisKeys.size() > 65_536) redisKeys.clear(); // old periods and gone keys: rebuilt on demand
      r = new RKey(PREFIX + k.scope() + ":" + k.periodKey(), Long.toString(expiry(k)));
      redisKeys.put(k, r);
    }
    return r;
  }

  /** Two days after the counter's period ends (unix seconds). */
  static long expiry(CounterKey k) {
    String p = k.periodKey();
    LocalDate end = p.length() == 7 ? LocalDate.parse(p + "-01").plusMonths(1) : LocalDate.parse(p).plusDays(1);
    return end.plusDays(2).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
  }

  /** As the local view knows it: this replica's claims at once, the others' as of the durable record's refresh. */
  @Override
  public long[] counts(CounterKey key) {
    return local.counts(key);
  }

  @Override
  public long used(CounterKey key) {
    return local.used(key);
  }

  @Override
  public void close() {
    local.close();
  }
}
