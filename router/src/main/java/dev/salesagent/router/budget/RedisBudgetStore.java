package dev.salesagent.router.budget;

import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.shared.SharedRedis;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Response;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget counters shared by every gateway replica through Redis, by <em>leases</em> (as quota systems such as Google's
 * Doorman hand them out): a replica takes a slice of a limited counter's remaining budget from Redis in one atomic
 * script, then takes the reservations that fit in it in this process, without a Redis round trip, and settles them
 * here too. Every lease is counted in the counter's reserved total, so the sum of all replicas' leases, spend and
 * reservations never passes a limit: with any number of replicas recorded spend stays within a budget when each
 * reservation covers its cost, and a reservation that underestimates passes it by at most its own excess. The
 * {@link LocalCounters} beside it (the database's write-behind store when there is one) records every reservation
 * and settlement as before — the durable record — and is the view {@link #counts} reads, the fallback while Redis is
 * down, and what an emptied Redis is restored from.
 *
 * <p><b>Layout.</b> A hash per counter, {@code sa:{budget}:<scope>:<period>}: {@code s} spent, {@code r} reserved
 * (leases included), whole nano-dollars, expiring two days after its period ends; a hash of the leases per counter,
 * {@code sa:{budget}:lease:<scope>:<period>}, field = replica id, value = leased nano-dollars; a liveness key per
 * replica, {@code sa:{budget}:live:<id>} (time to live {@link Timing#liveTtlMs}, refreshed by every script); a record
 * per lease script ({@code sa:{budget}:applied:<id>:<n>}, 10 min) so that a script sent again after it went unanswered
 * runs at most once. The hash tag keeps every key in one slot.
 *
 * <p><b>Leases.</b> A claim whose every limited line fits in this replica's unused lease is taken here. Otherwise one
 * script (which also settles what this replica has pending on those counters and gives back their unused part) grants
 * at least the claim: {@code min(left / 64, 256 × claim)} when that is more, else the claim alone — near a limit
 * leasing degenerates to one grant per claim, and a counter granted that way gives back at each settlement, so it is
 * exactly as strict as a script per reservation. Unlimited lines have no lease; their spend is only added up. Every
 * {@link Timing#flushMs} a timer sends one script for all counters with settled spend (it moves the spend into
 * {@code s} and shrinks the lease and {@code r} by the same amount), gives back leases idle for {@link Timing#idleMs},
 * and refreshes the liveness key. A replica that stops refreshing it (dead, or cut off from Redis) loses its leases:
 * the next grant on a counter reclaims the leases of replicas whose liveness key is gone.
 *
 * <p><b>Restore.</b> {@code sa:{budget}:epoch} marks a seeded Redis. Every script checks it first: without it (a new
 * or emptied Redis) nothing is admitted; the replica that sees that reads the counters of the current day and month
 * from the durable record (after writing its own pending changes) and one script writes them all and the marker —
 * unless another replica seeded first — dropping every lease. A replica that finds a new epoch drops its leases and
 * starts a new identity; its reservations in flight (which the durable record counted as reserved) settle by
 * {@link RedisBudgetScripts#FINISH}. A replica stops taking claims on its leases as soon as its connection to Redis
 * is lost, until a script answers again.
 *
 * <p><b>Redis down.</b> {@link SharedRedis.Policy#FAIL_OPEN}: claims go to the local counters (limits hold per
 * replica); {@link SharedRedis.Policy#FAIL_CLOSED}: claims are refused as {@code unavailable}. Settlements wait for
 * Redis to answer again; a script that went unanswered is sent again then (it runs at most once, and what it granted
 * is given back).
 */
public final class RedisBudgetStore implements BudgetStore {
  private static final Logger log = LoggerFactory.getLogger(RedisBudgetStore.class);
  public static final String PREFIX = "sa:{budget}:";
  /** Present (holding the seeding time, ms) while Redis holds restored counters; absent in a new or emptied Redis. */
  public static final String MARKER = PREFIX + "epoch";
  /** A reservation's record once settled outside the leases ({@code done}, 1 h). */
  static final String RESERVATION = PREFIX + "res:";
  public static final String LEASES = PREFIX + "lease:";
  public static final String LIVE = PREFIX + "live:";
  static final String APPLIED = PREFIX + "applied:";
  private static final int MAX_QUEUED = 100_000;
  /** Counters per flush script (a replica active on more counters sends several). */
  private static final int MAX_COUNTERS_PER_SCRIPT = 256;
  private static final Future<BudgetClaim.Outcome> TAKEN = Future.succeededFuture(BudgetClaim.TAKEN);

  /**
   * How leases are kept: settled spend reaches Redis within {@code flushMs}; an unused lease is given back after
   * {@code idleMs} without a claim; a replica's leases outlive it by at most {@code liveTtlMs}.
   */
  public record Timing(long flushMs, long idleMs, long liveTtlMs) {
    public static final Timing DEFAULT = new Timing(100, 1_000, 10_000);

    public Timing {
      if (flushMs <= 0 || idleMs < flushMs || liveTtlMs < 4 * flushMs) {
        throw new IllegalArgumentException("lease timing: 0 < flushMs <= idleMs and liveTtlMs >= 4 x flushMs");
      }
    }
  }

  /** A reservation held here: taken under a lease of {@code gen}, or (gen null) on local counters at {@code stamp} ms. */
  private record Held(BudgetClaim claim, LeaseGeneration gen, String stamp) {}

  /** A settlement outside the leases that waits for Redis (mode and stamp as {@link RedisBudgetScripts#FINISH}). */
  private record QueuedFinish(String id, BudgetClaim claim, String mode, String stamp, long spent) {}

  /** A lease script that went out without an answer, to send again (as a replay) once Redis answers. */
  private record Replay(LeaseGeneration gen, List<String> keys, List<String> args) {}

  /** A counter's Redis keys and expiry, built once (no date parsing on the request path). */
  private record RKey(String name, String lease, String expiry) {}

  /** One lease script being built: its generation, keys and arguments, and what it took out of the local leases. */
  private final class Call {
    final LeaseGeneration gen;
    final List<String> keys;
    final List<String> args;
    final List<CounterLease> leases;
    final List<long[]> drained;
    final long sentNanos = System.nanoTime();
    final long disconnects = redis.disconnects();

    Call(LeaseGeneration gen, int counters, long claimNanos, String mode) {
      this.gen = gen;
      keys = new ArrayList<>(3 + 2 * counters);
      args = new ArrayList<>(7 + 4 * counters);
      leases = new ArrayList<>(counters);
      drained = new ArrayList<>(counters);
      keys.add(MARKER);
      keys.add(gen.liveKey);
      keys.add(APPLIED + gen.nextScriptId());
      String epoch = gen.epoch;
      args.add(gen.id);
      args.add(epoch == null ? "" : epoch);
      args.add(Long.toString(timing.liveTtlMs()));
      args.add("0"); // counters, set by send()
      args.add(Long.toString(claimNanos));
      args.add(LIVE);
      args.add(mode);
    }

    /** A counter: {@code d} = what was drained from its lease (or null), {@code limit} to grant under or '-'. */
    void counter(CounterLease l, long[] d, String limit) {
      keys.add(l.counterKey);
      keys.add(l.leaseKey);
      args.add(d == null ? "0" : Long.toString(d[0]));
      args.add(d == null ? "0" : Long.toString(d[1] + d[2]));
      args.add(limit);
      args.add(l.expiry);
      leases.add(l);
      drained.add(d);
    }

    Future<Response> send() {
      args.set(3, Integer.toString(leases.size()));
      return redis.eval(RedisBudgetScripts.LEASE, keys, args);
    }

    /** The script changed nothing (it found Redis emptied, restored, or this identity expired): undo the drains. */
    void undrain() {
      for (int i = 0; i < leases.size(); i++) {
        long[] d = drained.get(i);
        if (d == null || leases.get(i).undrain(d) || d[0] == 0) continue;
        // retired meanwhile: a lost identity's spend still counts (after a restore the durable record has it)
        if (gen.lost == LeaseGeneration.Loss.LIVENESS) carrySpend(leases.get(i), d[0]);
      }
    }

    /** Unanswered: Redis may run it late, or never. Sent again once it answers; at most one of the two runs. */
    void queueReplay() {
      List<String> a = new ArrayList<>(args);
      a.set(4, "0");
      a.set(6, "replay");
      queue(replays, new Replay(gen, keys, a));
    }
  }

  private final SharedRedis redis;
  private final LocalCounters local;
  private final Clock clock;
  private final Timing timing;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final Map<CounterKey, RKey> redisKeys = new ConcurrentHashMap<>();
  private final Queue<QueuedFinish> queued = new ConcurrentLinkedQueue<>();
  private final Queue<Replay> replays = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedCount = new AtomicInteger();
  private final String replicaBase = Long.toHexString(new SecureRandom().nextLong() >>> 1);
  private final AtomicLong generations = new AtomicLong();
  private volatile LeaseGeneration gen;
  /** Flush timer ticks so far; a lease's last use is the tick it was taken at (no clock read per claim). */
  private volatile long tick;
  private final long idleTicks;
  private final long refreshTicks;
  private long lastRefreshTick;
  private final AtomicBoolean timerStarted = new AtomicBoolean();
  private final AtomicBoolean flushing = new AtomicBoolean();
  private volatile long timer = -1;
  private volatile boolean closed;
  private Future<Void> seeding;

  public RedisBudgetStore(SharedRedis redis, LocalCounters local, Clock clock) {
    this(redis, local, clock, Timing.DEFAULT);
  }

  public RedisBudgetStore(SharedRedis redis, LocalCounters local, Clock clock, Timing timing) {
    this.redis = redis;
    this.local = local;
    this.clock = clock == null ? Clock.systemUTC() : clock;
    this.timing = timing;
    this.idleTicks = Math.max(1, timing.idleMs() / timing.flushMs());
    this.refreshTicks = Math.max(1, timing.liveTtlMs() / 5 / timing.flushMs());
    this.gen = newGeneration();
    redis.onUp(this::replayQueued);
  }

  private LeaseGeneration newGeneration() {
    String id = replicaBase + "." + generations.incrementAndGet();
    return new LeaseGeneration(id, LIVE + id);
  }

  /** This replica's current identity in Redis (its lease field and liveness key {@link #LIVE}{@code + id}). */
  public String replicaId() {
    return gen.id;
  }

  private CounterLease lease(LeaseGeneration g, BudgetClaim.Line line) {
    RKey k = rkey(line.key());
    CounterLease l = g.leases.get(k.name());
    return l != null ? l
        : g.leases.computeIfAbsent(k.name(), n -> new CounterLease(k.name(), k.lease(), k.expiry(), line.limited()));
  }

  @Override
  public Future<BudgetClaim.Outcome> reserve(String reservationId, BudgetClaim claim) {
    if (!redis.up()) return fallback(reservationId, claim);
    LeaseGeneration g = gen;
    if (g.usable(redis.disconnects()) && takeLocally(g, claim)) {
      held.put(reservationId, new Held(claim, g, null));
      local.recordTaken(reservationId, claim);
      return TAKEN;
    }
    startTimer();
    return grant(reservationId, claim, 0);
  }

  /** Takes the claim on every limited line's lease, or on none. */
  private boolean takeLocally(LeaseGeneration g, BudgetClaim claim) {
    List<BudgetClaim.Line> lines = claim.lines();
    long n = claim.nanos();
    long t = tick;
    for (int i = 0; i < lines.size(); i++) {
      BudgetClaim.Line l = lines.get(i);
      if (l.limited() && !lease(g, l).tryTake(n, l.limitNanos(), t)) {
        for (int j = 0; j < i; j++) if (lines.get(j).limited()) lease(g, lines.get(j)).untake(n);
        return false;
      }
    }
    return true;
  }

  /**
   * The claim through Redis: one script settles this replica's pending spend on the claim's counters, gives back
   * the unused part of the leases it does not fit in, and grants new ones (or refuses, naming the line).
   */
  private Future<BudgetClaim.Outcome> grant(String id, BudgetClaim claim, int attempt) {
    LeaseGeneration g = gen;
    List<BudgetClaim.Line> lines = claim.lines();
    long n = claim.nanos();
    long t = tick;
    Call call = new Call(g, lines.size(), n, "run");
    boolean[] takenHere = new boolean[lines.size()];
    boolean[] asks = new boolean[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      BudgetClaim.Line line = lines.get(i);
      CounterLease l = lease(g, line);
      // a line whose lease has room keeps it (and takes the claim now); the others ask for a grant
      takenHere[i] = line.limited() && g.usable(redis.disconnects()) && l.tryTake(n, line.limitNanos(), t);
      asks[i] = line.limited() && !takenHere[i];
      String limit = !asks[i] ? "-" : l.beginGrant() ? Long.toString(line.limitNanos()) : "=" + line.limitNanos();
      call.counter(l, l.drain(asks[i], t, idleTicks), limit);
    }
    return call.send().transform(ar -> {
      for (int i = 0; i < asks.length; i++) if (asks[i]) call.leases.get(i).endGrant();
      if (ar.failed()) {
        untake(call, takenHere, n);
        if (!SharedRedis.answered(ar.cause())) call.queueReplay();
        else call.undrain();
        return fallback(id, claim);
      }
      Response r = ar.result();
      int code = r.get(0).toInteger();
      if (code == 1) {
        call.gen.confirmed(r.get(1).toString(), call.sentNanos, call.disconnects, timing.liveTtlMs());
        for (int i = 0; i < lines.size(); i++) {
          long granted = r.size() > 2 + i ? r.get(2 + i).toLong() : 0;
          if (granted != 0) {
            call.leases.get(i).granted(Math.abs(granted), n, t, granted < 0, lines.get(i).limitNanos());
          }
        }
        held.put(id, new Held(claim, g, null));
        local.recordTaken(id, claim);
        return TAKEN;
      }
      if (code == 0) {
        untake(call, takenHere, n);
        call.gen.confirmed(r.get(3).toString(), call.sentNanos, call.disconnects, timing.liveTtlMs());
        return Future.succeededFuture(new BudgetClaim.Refused(lines.get(r.get(1).toInteger()), r.get(2).toLong()));
      }
      untake(call, takenHere, n);
      call.undrain();
      if (attempt >= 3) return fallback(id, claim);
      if (code == -1) return seed().transform(s -> s.succeeded() ? grant(id, claim, attempt + 1) : fallback(id, claim));
      if (code == -2 || code == -3) {
        lost(call.gen, code == -2 ? LeaseGeneration.Loss.EPOCH : LeaseGeneration.Loss.LIVENESS, r.get(1).toString());
        return grant(id, claim, attempt + 1);
      }
      return fallback(id, claim); // 3: a fresh script id cannot have run before
    });
  }

  private static void untake(Call call, boolean[] takenHere, long n) {
    for (int i = 0; i < takenHere.length; i++) if (takenHere[i]) call.leases.get(i).untake(n);
  }

  private Future<BudgetClaim.Outcome> fallback(String id, BudgetClaim claim) {
    redis.countBudgetFallback();
    if (redis.policy() == SharedRedis.Policy.FAIL_CLOSED) {
      return Future.failedFuture(LlmException.builder(ErrorKind.UNAVAILABLE,
          "shared budget store unreachable and policy fail_closed: no call is admitted until it answers").build());
    }
    return local.reserve(id, claim).onSuccess(o -> {
      if (o == BudgetClaim.TAKEN) held.put(id, new Held(claim, null, Long.toString(Math.max(1, clock.millis()))));
    });
  }

  /**
   * Ends generation {@code g} (once): its leases are retired here, a new identity starts. Spend it settled but had not
   * flushed is carried to the new one — after a restore ({@link LeaseGeneration.Loss#EPOCH}) only when it was settled
   * after the restore (before, the durable record the restore read had it).
   */
  private synchronized void lost(LeaseGeneration g, LeaseGeneration.Loss why, String epochNow) {
    if (g.lost != null) return;
    g.lost = why;
    // an older identity (a late answer for it) leaves the current one alone
    if (gen == g) gen = newGeneration();
    long restoredAt = why == LeaseGeneration.Loss.EPOCH ? parseOr(epochNow, Long.MAX_VALUE) : Long.MIN_VALUE;
    for (CounterLease l : g.leases.values()) {
      long[] p = l.retire();
      if (p[0] > 0 && p[1] >= restoredAt) carrySpend(l, p[0]);
    }
    log.warn("shared budgets: this replica's leases under {} are gone ({}); continuing as {}", g.id,
        why == LeaseGeneration.Loss.EPOCH ? "Redis was restored" : "its liveness key expired", gen.id);
  }

  /** Spend of a lost identity's lease, to be added to spent by the current generation's next flush. */
  private void carrySpend(CounterLease old, long nanos) {
    long now = clock.millis();
    while (true) {
      LeaseGeneration g = gen;
      CounterLease l = g.leases.computeIfAbsent(old.counterKey,
          k -> new CounterLease(old.counterKey, old.leaseKey, old.expiry, old.limited));
      if (l.addSpend(nanos, now)) return;
    }
  }

  private static long parseOr(String s, long dflt) {
    try {
      return Long.parseLong(s);
    } catch (RuntimeException e) {
      return dflt;
    }
  }

  @Override
  public Future<Void> finish(String reservationId, long spentNanos) {
    Held h = held.remove(reservationId);
    Future<Void> recorded = local.finish(reservationId, spentNanos);
    if (h == null) return recorded;
    BudgetClaim claim = h.claim();
    long spent = spentNanos == RESERVED ? claim.nanos() : spentNanos;
    if (h.gen() == null) return finishOutside(new QueuedFinish(reservationId, claim, "l", h.stamp(), spent), recorded);
    if (h.gen().lost == LeaseGeneration.Loss.EPOCH) {
      return finishOutside(new QueuedFinish(reservationId, claim, "r", h.gen().epoch, spent), recorded);
    }
    List<BudgetClaim.Line> lines = claim.lines();
    long now = clock.millis();
    boolean tight = false;
    for (int i = 0; i < lines.size(); i++) {
      BudgetClaim.Line line = lines.get(i);
      int settled = line.limited() ? lease(h.gen(), line).settle(claim.nanos(), spent, now) : CounterLease.RETIRED;
      tight |= settled == CounterLease.SETTLED_TIGHT;
      boolean done = settled != CounterLease.RETIRED;
      // unlimited, or its lease is gone (reclaimed: only the spend is left to count): added to spent by a flush
      while (!done) {
        LeaseGeneration g = gen;
        if (h.gen().lost == LeaseGeneration.Loss.EPOCH) break; // raced with a restore: the durable record has it
        done = lease(g, line).addSpend(spent, now);
      }
    }
    if (!tight || !redis.up()) return recorded;
    // near the limit: what the reservation did not spend is given back at once, as a script per claim would
    return flush(h.gen(), lines, false).transform(ar -> recorded);
  }

  private Future<Void> finishOutside(QueuedFinish f, Future<Void> recorded) {
    if (!redis.up()) {
      queue(queued, f);
      return recorded;
    }
    return applyFinish(f).transform(ar -> recorded);
  }

  private Future<Response> applyFinish(QueuedFinish f) {
    List<BudgetClaim.Line> lines = f.claim().lines();
    List<String> keys = new ArrayList<>(2 + lines.size());
    keys.add(MARKER);
    for (int i = 0; i < lines.size(); i++) keys.add(rkey(lines.get(i).key()).name());
    keys.add(RESERVATION + f.id());
    List<String> args = new ArrayList<>(4 + lines.size());
    args.add(Long.toString(f.claim().nanos()));
    args.add(Long.toString(f.spent()));
    args.add(f.mode());
    args.add(f.stamp());
    for (int i = 0; i < lines.size(); i++) args.add(rkey(lines.get(i).key()).expiry());
    return redis.eval(RedisBudgetScripts.FINISH, keys, args).onFailure(t -> {
      if (!SharedRedis.answered(t)) queue(queued, f);
    });
  }

  private <T> void queue(Queue<T> q, T item) {
    if (queuedCount.incrementAndGet() > MAX_QUEUED) {
      queuedCount.decrementAndGet();
      log.warn("shared budgets: too many settlements waiting for Redis; one is kept only in the durable record");
      return;
    }
    q.add(item);
  }

  /** Redis answers again: scripts that went unanswered first (their grants given back), then what waited. */
  private void replayQueued() {
    Replay p;
    while ((p = replays.poll()) != null) {
      queuedCount.decrementAndGet();
      replay(p);
    }
    flushNow();
    QueuedFinish f;
    while ((f = queued.poll()) != null) {
      queuedCount.decrementAndGet();
      applyFinish(f);
    }
  }

  private void replay(Replay p) {
    redis.eval(RedisBudgetScripts.LEASE, p.keys(), p.args()).onComplete(ar -> {
      if (ar.failed()) {
        if (!SharedRedis.answered(ar.cause())) queue(replays, p);
        return;
      }
      int code = ar.result().get(0).toInteger();
      if (code == -3) {
        // the identity expired while Redis was away (its leases are or will be reclaimed): only the spend is left
        lost(p.gen(), LeaseGeneration.Loss.LIVENESS, ar.result().get(1).toString());
        List<String> a = new ArrayList<>(p.args());
        a.set(6, "spend");
        for (int b = 8; b < a.size(); b += 4) a.set(b, "0");
        replay(new Replay(p.gen(), p.keys(), a));
      } else if (code == -2) {
        lost(p.gen(), LeaseGeneration.Loss.EPOCH, ar.result().get(1).toString());
      }
    });
  }

  private void startTimer() {
    if (!timerStarted.compareAndSet(false, true)) return;
    // set from the caller's context: on an event loop the timer's scripts share that loop's connection
    timer = redis.vertx().setPeriodic(timing.flushMs(), id -> {
      if (closed || redis.closed()) {
        redis.vertx().cancelTimer(id);
        return;
      }
      tick++;
      if (redis.up()) flushNow();
    });
  }

  /** One flush of the current generation, unless one is in flight. */
  private void flushNow() {
    if (!flushing.compareAndSet(false, true)) return;
    flush(gen, null, false).onComplete(ar -> flushing.set(false));
  }

  /**
   * Sends what generation {@code g} has to tell Redis — settled spend, leases to give back (all of them when
   * {@code giveBackAll}) — for {@code lines} or (null) every counter; also refreshes its liveness key when due.
   */
  private Future<Void> flush(LeaseGeneration g, List<BudgetClaim.Line> lines, boolean giveBackAll) {
    long t = tick;
    Call call = null;
    List<Future<Response>> sent = new ArrayList<>(1);
    Iterable<CounterLease> which = lines == null ? g.leases.values() : linesOf(g, lines);
    for (CounterLease l : which) {
      if (lines == null && l.retireIfEmpty(t, idleTicks)) {
        g.leases.remove(l.counterKey, l);
        continue;
      }
      long[] d = l.drain(giveBackAll, t, idleTicks);
      if (d == null) continue;
      if (call == null) call = new Call(g, 8, 0, "run");
      call.counter(l, d, "-");
      if (call.leases.size() == MAX_COUNTERS_PER_SCRIPT) {
        sent.add(sendFlush(call));
        call = null;
      }
    }
    // the liveness key is kept fresh while the identity is known to Redis, leases or not (an idle replica: a script
    // every liveTtlMs / 5), so that it expires only when this replica is gone or cut off
    boolean refresh = lines == null && g.epoch != null && t - lastRefreshTick >= refreshTicks;
    if (call == null && refresh) call = new Call(g, 0, 0, "run");
    if (call != null) sent.add(sendFlush(call));
    if (sent.isEmpty()) return Future.succeededFuture();
    lastRefreshTick = t;
    return Future.join(sent).mapEmpty();
  }

  private List<CounterLease> linesOf(LeaseGeneration g, List<BudgetClaim.Line> lines) {
    List<CounterLease> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).limited()) out.add(lease(g, lines.get(i)));
    return out;
  }

  private Future<Response> sendFlush(Call call) {
    return call.send().andThen(ar -> {
      if (ar.failed()) {
        if (SharedRedis.answered(ar.cause())) call.undrain();
        else call.queueReplay();
        call.gen.unconfirm();
        return;
      }
      Response r = ar.result();
      int code = r.get(0).toInteger();
      if (code == 1) {
        call.gen.confirmed(r.get(1).toString(), call.sentNanos, call.disconnects, timing.liveTtlMs());
        return;
      }
      call.undrain();
      if (code == -1) call.gen.unconfirm(); // emptied: the next claim seeds, then finds the new epoch
      else if (code == -2 || code == -3) {
        lost(call.gen, code == -2 ? LeaseGeneration.Loss.EPOCH : LeaseGeneration.Loss.LIVENESS, r.get(1).toString());
      }
    });
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
      List<String> keys = new ArrayList<>(1 + 2 * counters.size());
      List<String> args = new ArrayList<>(1 + 3 * counters.size());
      keys.add(MARKER);
      args.add(Long.toString(Math.max(1, clock.millis())));
      counters.forEach((k, v) -> {
        keys.add(rkey(k).name());
        keys.add(rkey(k).lease());
        args.add(Long.toString(v[0]));
        args.add(Long.toString(Math.max(0, v[1])));
        args.add(rkey(k).expiry());
      });
      return redis.eval(RedisBudgetScripts.SEED, keys, args).map(r -> {
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

  private RKey rkey(CounterKey k) {
    RKey r = redisKeys.get(k);
    if (r == null) {
      if (redisKeys.size() > 65_536) redisKeys.clear(); // old periods and gone keys: rebuilt on demand
      String tail = k.scope() + ":" + k.periodKey();
      r = new RKey(PREFIX + tail, LEASES + tail, Long.toString(expiry(k)));
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

  /**
   * Gives every lease back (the spend settled here first) and deletes the liveness key, waiting up to the command
   * timeout; then closes the durable record. Blocking: called off the event loops.
   */
  @Override
  public void close() {
    closed = true;
    if (timer >= 0) redis.vertx().cancelTimer(timer);
    if (redis.up() && !redis.closed()) {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SharedRedis.COMMAND_TIMEOUT_MS);
      try {
        // everything settled and unused goes back; then, once no flush of the timer is on the way (it would find the
        // key gone and take this for an expired identity), the liveness key goes
        flush(gen, null, true).toCompletionStage().toCompletableFuture()
            .get(SharedRedis.COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        while (flushing.get() && System.nanoTime() - until < 0) Thread.sleep(5);
        LeaseGeneration g = gen;
        if (g.epoch != null) {
          new Call(g, 0, 0, "close").send().toCompletionStage().toCompletableFuture()
              .get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("shared budgets: giving the leases back at close failed ({}); they are reclaimed when this replica's"
            + " liveness key expires", e.toString());
      }
    }
    local.close();
  }
}
