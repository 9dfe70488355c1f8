package dev.salesagent.app.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.budget.BudgetCounters;
import dev.salesagent.router.budget.BudgetEngine;
import dev.salesagent.router.budget.BudgetLimits;
import dev.salesagent.router.budget.RedisBudgetStore;
import dev.salesagent.router.error.ErrorKind;
import dev.salesagent.router.error.LlmException;
import dev.salesagent.router.shared.SharedRedis;
import dev.salesagent.server.testing.RedisTestServer;
import dev.salesagent.store.Database;
import dev.salesagent.store.budget.JdbcBudgetStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Budgets shared through a real redis-server by several engine instances (replicas), each with its own durable
 * write-behind store on one database: the cap holds across them, Redis killed mid-load falls back, Redis restarted
 * empty is restored from the database before anything is admitted.
 */
class RedisBudgetStoreTest {
  private static final AtomicInteger DBS = new AtomicInteger();
  private static Vertx vertx;
  private RedisTestServer server;
  private final List<Replica> replicas = new ArrayList<>();
  private Database db;

  /** One gateway replica's budget stack. */
  record Replica(SharedRedis redis, JdbcBudgetStore durable, RedisBudgetStore store, BudgetEngine engine) {}

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @AfterEach
  void tearDown() {
    replicas.forEach(r -> {
      r.store().close(); // gives its leases back, closes the durable store
      r.redis().close();
    });
    if (db != null) db.close();
    if (server != null) server.close();
  }

  private void setUp() {
    server = RedisTestServer.start();
    db = Database.open("jdbc:h2:mem:redisbudget" + DBS.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
  }

  private Replica replica(SharedRedis.Policy policy, SimpleMeterRegistry registry) {
    return replica(policy, registry, 30_000);
  }

  /**
   * @param timeoutMs how long a Redis call may take before Redis counts as down: long (a busy machine must not turn
   *                  a slow answer into a fallback) except where the test stops Redis from answering on purpose
   */
  private Replica replica(SharedRedis.Policy policy, SimpleMeterRegistry registry, long timeoutMs) {
    return replica(policy, registry, timeoutMs, RedisBudgetStore.Timing.DEFAULT);
  }

  private Replica replica(SharedRedis.Policy policy, SimpleMeterRegistry registry, long timeoutMs,
                          RedisBudgetStore.Timing timing) {
    SharedRedis redis = new SharedRedis(vertx, server.url(), policy, registry, timeoutMs);
    JdbcBudgetStore durable = new JdbcBudgetStore(db, Clock.systemUTC(), Duration.ofMinutes(15));
    RedisBudgetStore store = new RedisBudgetStore(redis, durable, Clock.systemUTC(), timing);
    BudgetEngine engine = new BudgetEngine(BudgetLimits.NONE, this::limits, Clock.systemUTC(), store);
    Replica r = new Replica(redis, durable, store, engine);
    replicas.add(r);
    return r;
  }

  /** Key k2's daily budget: a test lowers it. */
  private volatile double k2Daily = 1_000.0;

  /**
   * Key k1: $1 a day, $5 a month (small: claims come near it); key big: $1,000 a day (claims far below it); key k2:
   * {@link #k2Daily}.
   */
  private BudgetLimits limits(String key) {
    return switch (key) {
      case "k1" -> new BudgetLimits(1.0, 5.0);
      case "big" -> new BudgetLimits(1_000.0, 10_000.0);
      case "k2" -> new BudgetLimits(k2Daily, null);
      default -> BudgetLimits.NONE;
    };
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Reserves on {@code r}; the reservation or the error it failed with. */
  private static Object tryReserve(Replica r, String id, double usd) {
    try {
      return r.engine().reserve(id, "k1", usd).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String today() {
    return LocalDate.now(ZoneOffset.UTC).toString();
  }

  /** Key k1's counter hash for today in Redis. */
  private static String k1Counter() {
    return RedisBudgetStore.PREFIX + "key:k1:" + today();
  }

  /** Key k1's lease hash for today in Redis (a field per replica). */
  private static String k1Leases() {
    return RedisBudgetStore.LEASES + "key:k1:" + today();
  }

  /** The replica dies: its connection and database go, nothing is given back and its timer stops. */
  private void die(Replica r) {
    replicas.remove(r);
    r.redis().close();
    r.durable().close();
  }

  /** {@code [spent, reserved]} of key k1 today in the database, after every replica wrote what it has. */
  private long[] databaseCounts() {
    return databaseCounts("key:k1");
  }

  private long[] databaseCounts(String scope) {
    replicas.forEach(r -> r.durable().flush());
    return db.jdbi().withHandle(h -> h.createQuery(
            "SELECT spent_usd, reserved_usd FROM budget_counters WHERE scope = :s AND period_key = :d")
        .bind("s", scope).bind("d", today()).map((rs, c) -> new long[] {nanos(rs.getBigDecimal(1)), nanos(rs.getBigDecimal(2))})
        .findOne().orElse(new long[2]));
  }

  private static long nanos(BigDecimal d) {
    return d.movePointRight(9).longValueExact();
  }

  @Test
  void threeReplicasNeverReserveMoreThanTheBudgetTogether() {
    setUp();
    List<Replica> rs = List.of(replica(SharedRedis.Policy.FAIL_OPEN, null), replica(SharedRedis.Policy.FAIL_OPEN, null),
        replica(SharedRedis.Policy.FAIL_OPEN, null));
    // 60 concurrent reservations of $0.1 against a $1 daily budget, spread over three replicas
    List<Future<BudgetCounters.Reservation>> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) all.add(rs.get(i % 3).engine().reserve("r" + i, "k1", 0.1));
    List<Integer> taken = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      try {
        all.get(i).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        taken.add(i);
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(((LlmException) e.getCause()).kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    assertThat(taken).hasSize(10); // exactly: per-replica counters would have taken 30
    // each settles at most what it reserved
    Random random = new Random(7);
    long charged = 0;
    for (int i : taken) {
      long nanos = 50_000_000L + random.nextInt(50_000_001);
      charged += nanos;
      await(rs.get(i % 3).engine().settle("r" + i, nanos / 1e9));
    }
    long[] counted = databaseCounts();
    assertThat(counted[0]).isEqualTo(charged).isLessThanOrEqualTo(1_000_000_000L);
    assertThat(counted[1]).isZero();
    assertThat(server.command("HGET", "sa:{budget}:key:k1:" + today(), "s")).isEqualTo(Long.toString(charged));
    // what is left is shared too: exactly floor(left / 0.1) more reservations fit, whichever replica asks
    long left = 1_000_000_000L - charged;
    int more = 0;
    for (int i = 0; i < 20; i++) {
      if (tryReserve(rs.get(i % 3), "m" + i, 0.1) instanceof BudgetCounters.Reservation) more++;
    }
    assertThat(more).isEqualTo((int) (left / 100_000_000L));
  }

  @Test
  void redisKilledMidLoadFallsBackToLocalCountersThenSharesAgain() {
    setUp();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Replica a = replica(SharedRedis.Policy.FAIL_OPEN, registry);
    Replica closed = replica(SharedRedis.Policy.FAIL_CLOSED, null);
    for (int i = 0; i < 3; i++) {
      assertThat(tryReserve(a, "a" + i, 0.01)).isInstanceOf(BudgetCounters.Reservation.class);
      await(a.engine().settle("a" + i, 0.01));
    }
    server.kill();
    // the load goes on: every call is decided (on what is left of this replica's lease, then on its counters), none
    // fails for want of Redis
    for (int i = 3; i < 20; i++) {
      assertThat(tryReserve(a, "a" + i, 0.01)).isInstanceOf(BudgetCounters.Reservation.class);
      await(a.engine().settle("a" + i, 0.01));
    }
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !a.redis().up());
    double fallbacks = registry.get("sales_agent_redis_fallbacks").tag("state", "budgets").counter().count();
    assertThat(fallbacks).isBetween(1.0, 17.0);
    assertThat(registry.get("sales_agent_redis_up").gauge().value()).isZero();
    Object refused = tryReserve(closed, "c1", 0.01);
    assertThat(refused).isInstanceOf(LlmException.class);
    assertThat(((LlmException) refused).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    // local counters still enforce the budget on this replica
    Object over = tryReserve(a, "big", 0.9);
    assertThat(over).isInstanceOf(LlmException.class);
    assertThat(((LlmException) over).kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
    server.restart();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> a.redis().up() && closed.redis().up());
    // back on Redis, restored from the database: $0.20 spent, so $0.80 fits and $0.81 does not
    Object o = tryReserve(closed, "c2", 0.81);
    assertThat(o).isInstanceOf(LlmException.class);
    assertThat(((LlmException) o).kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
    assertThat(tryReserve(closed, "c3", 0.80)).isInstanceOf(BudgetCounters.Reservation.class);
    assertThat(registry.get("sales_agent_redis_fallbacks").tag("state", "budgets").counter().count())
        .isEqualTo(fallbacks + 1);
  }

  @Test
  void settlementsDuringAnOutageReachRedisWhenItAnswersAgainWithItsDataIntact() {
    setUp();
    Replica a = replica(SharedRedis.Policy.FAIL_OPEN, null, 500);
    String counter = k1Counter();
    assertThat(tryReserve(a, "before", 0.3)).isInstanceOf(BudgetCounters.Reservation.class); // held in Redis
    // Redis stops answering without losing its data (every client paused): calls time out and fall back
    assertThat(server.command("CLIENT", "PAUSE", "5000", "ALL")).isEqualTo("+OK");
    assertThat(tryReserve(a, "during", 0.2)).isInstanceOf(BudgetCounters.Reservation.class); // on local counters
    assertThat(a.redis().up()).isFalse();
    await(a.engine().settle("before", 0.25)); // Redis held it: queued, the whole settlement
    await(a.engine().settle("during", 0.15)); // Redis never held it: queued, its spend only
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> a.redis().up());
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
        server.command("HGET", counter, "s").equals("400000000") && server.command("HGET", counter, "r").equals("0"));
    assertThat(databaseCounts()).containsExactly(400_000_000L, 0L);
  }

  @Test
  void redisRestartedEmptyIsRestoredFromTheDatabaseBeforeAnyCallIsAdmitted() {
    setUp();
    Replica a = replica(SharedRedis.Policy.FAIL_OPEN, null);
    Replica b = replica(SharedRedis.Policy.FAIL_OPEN, null);
    assertThat(tryReserve(a, "x1", 0.3)).isInstanceOf(BudgetCounters.Reservation.class);
    await(a.engine().settle("x1", 0.3));
    assertThat(tryReserve(b, "x2", 0.3)).isInstanceOf(BudgetCounters.Reservation.class);
    await(b.engine().settle("x2", 0.25));
    // one reservation stays open across the loss: it keeps its room after the restore, and settles into it
    assertThat(tryReserve(b, "open", 0.2)).isInstanceOf(BudgetCounters.Reservation.class);
    replicas.forEach(r -> r.durable().flush());
    server.restart(); // empty: no marker, no counters
    // a replica whose lease timer ran into the restart counts Redis as down until its probe answers (500 ms)
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> a.redis().up() && b.redis().up());
    assertThat(server.command("EXISTS", RedisBudgetStore.MARKER)).isEqualTo(":0");
    // $1 - 0.55 spent - 0.2 reserved = $0.25 left, on every replica, the first call after the restart included
    Object o = tryReserve(a, "y1", 0.26);
    assertThat(o).isInstanceOf(LlmException.class);
    assertThat(((LlmException) o).kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
    assertThat(a.redis().up()).isTrue(); // a refusal from restored counters, not a fallback
    assertThat(server.command("EXISTS", RedisBudgetStore.MARKER)).isEqualTo(":1");
    assertThat(tryReserve(b, "y2", 0.25)).isInstanceOf(BudgetCounters.Reservation.class);
    await(b.engine().settle("open", 0.1));
    // the open reservation gave back 0.1 of its 0.2: exactly $0.1 fits now
    assertThat(tryReserve(a, "y3", 0.11)).isInstanceOf(LlmException.class);
    assertThat(tryReserve(a, "y4", 0.1)).isInstanceOf(BudgetCounters.Reservation.class);
    assertThat(databaseCounts()[0]).isEqualTo(650_000_000L);
  }

  /** Claims of {@code usd} one after another on {@code ctx}, each settled at 50-100% of it, {@code count} of them. */
  private static Future<Void> chain(Context ctx, Replica r, String prefix, int count, double usd, long seed,
                                    AtomicLong chargedNanos, AtomicInteger refused) {
    Promise<Void> done = Promise.promise();
    Random random = new Random(seed);
    ctx.runOnContext(v -> next(r, prefix, 0, count, usd, random, chargedNanos, refused, done));
    return done.future();
  }

  private static void next(Replica r, String prefix, int i, int count, double usd, Random random, AtomicLong charged,
                           AtomicInteger refused, Promise<Void> done) {
    if (i == count) {
      done.complete();
      return;
    }
    String id = prefix + i;
    r.engine().reserve(id, "k1", usd).onComplete(ar -> {
      if (ar.failed()) {
        if (!(ar.cause() instanceof LlmException e && e.kind() == ErrorKind.BUDGET_EXCEEDED)) {
          done.fail(ar.cause());
          return;
        }
        refused.incrementAndGet();
        next(r, prefix, i + 1, count, usd, random, charged, refused, done);
        return;
      }
      long nanos = Math.round(usd * 1e9 * (0.5 + random.nextDouble() / 2));
      charged.addAndGet(nanos);
      r.engine().settle(id, nanos / 1e9).onComplete(s -> {
        if (s.failed()) done.fail(s.cause());
        else next(r, prefix, i + 1, count, usd, random, charged, refused, done);
      });
    });
  }

  @Test
  void threeReplicasOnSeveralLoopsStayWithinTheBudgetOnLeasesAndGiveThemBackWhenTheLoadStops() {
    setUp();
    List<Replica> rs = List.of(replica(SharedRedis.Policy.FAIL_OPEN, null), replica(SharedRedis.Policy.FAIL_OPEN, null),
        replica(SharedRedis.Policy.FAIL_OPEN, null));
    // $3.60 of claims of $0.001 against a $1 daily budget: 24 chains of 150, on two loops per replica
    AtomicLong charged = new AtomicLong();
    AtomicInteger refused = new AtomicInteger();
    List<Future<Void>> chains = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 2; c++) {
        Context ctx = vertx.getOrCreateContext();
        for (int k = 0; k < 4; k++) {
          chains.add(chain(ctx, rs.get(r), "r" + r + "c" + c + "k" + k + "-", 150, 0.001, 31L * r + 7 * c + k, charged,
              refused));
        }
      }
    }
    await(Future.all(chains));
    assertThat(refused.get()).as("the budget ran out").isPositive();
    long[] db = databaseCounts();
    assertThat(db[0]).isEqualTo(charged.get()).isLessThanOrEqualTo(1_000_000_000L);
    assertThat(db[1]).isZero();
    // Redis: the spend flushed, every lease given back within a few seconds of the load's end
    String counter = k1Counter();
    String leases = k1Leases();
    String month = RedisBudgetStore.PREFIX + "key:k1:" + today().substring(0, 7);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
        server.command("HGET", counter, "s").equals(Long.toString(charged.get()))
            && server.command("HGET", counter, "r").equals("0") && server.command("HGET", month, "r").equals("0")
            && server.command("HLEN", leases).equals(":0"));
  }

  @Test
  void aDeadReplicasLeaseIsReclaimedForTheOthers() {
    setUp();
    Replica x = replica(SharedRedis.Policy.FAIL_OPEN, null);
    Replica y = replica(SharedRedis.Policy.FAIL_OPEN, null);
    String leases = k1Leases();
    String counter = k1Counter();
    // x leases a slice of k1's $1 (1/64 of it: far more than its one claim of $0.001) and keeps the claim open
    assertThat(tryReserve(x, "x1", 0.001)).isInstanceOf(BudgetCounters.Reservation.class);
    String xid = x.store().replicaId();
    assertThat(server.command("HGET", leases, xid)).isEqualTo("15625000");
    long ttl = Long.parseLong(server.command("PTTL", RedisBudgetStore.LIVE + xid).substring(1));
    assertThat(ttl).isBetween(1L, 10_000L);
    // while x lives, what it holds is not anyone else's: $1 - $0.001 + 1 nano-dollar does not fit
    Object o = tryReserve(y, "y1", 0.999000001);
    assertThat(o).isInstanceOf(LlmException.class);
    assertThat(((LlmException) o).kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
    // x dies without giving anything back (its timer stops with its connection); its liveness key then expires
    die(x);
    server.command("DEL", RedisBudgetStore.LIVE + xid); // what its time to live does within 10 s
    // the next grant reclaims x's lease, its open claim included: the whole budget is y's
    assertThat(tryReserve(y, "y2", 0.999000001)).isInstanceOf(BudgetCounters.Reservation.class);
    assertThat(server.command("HEXISTS", leases, xid)).isEqualTo(":0");
    assertThat(server.command("HGET", counter, "r")).isEqualTo("999000001");
  }

  @Test
  void aDeadReplicasLeaseIsReclaimedOnceItsLivenessKeyExpires() {
    setUp();
    // z refreshes a liveness key that lives 1 s
    Replica z = replica(SharedRedis.Policy.FAIL_OPEN, null, 30_000, new RedisBudgetStore.Timing(100, 1_000, 1_000));
    Replica y = replica(SharedRedis.Policy.FAIL_OPEN, null);
    String leases = k1Leases();
    String counter = k1Counter();
    assertThat(tryReserve(z, "z1", 0.001)).isInstanceOf(BudgetCounters.Reservation.class);
    String zid = z.store().replicaId();
    assertThat(server.command("HEXISTS", leases, zid)).isEqualTo(":1");
    die(z); // nothing given back, nothing refreshed
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> server.command("EXISTS", RedisBudgetStore.LIVE + zid).equals(":0"));
    assertThat(tryReserve(y, "y1", 0.999000001)).isInstanceOf(BudgetCounters.Reservation.class);
    assertThat(server.command("HEXISTS", leases, zid)).isEqualTo(":0");
    assertThat(server.command("HGET", counter, "r")).isEqualTo("999000001");
  }

  @Test
  void aReplicaWhoseLivenessKeyExpiredTakesANewIdentityAndStillCountsItsSpend() {
    setUp();
    Replica x = replica(SharedRedis.Policy.FAIL_OPEN, null);
    Replica y = replica(SharedRedis.Policy.FAIL_OPEN, null);
    String leases = k1Leases();
    String counter = k1Counter();
    assertThat(tryReserve(x, "x1", 0.001)).isInstanceOf(BudgetCounters.Reservation.class);
    String old = x.store().replicaId();
    // as if x had been cut off for longer than the key's time to live: its next script finds it gone
    server.command("DEL", RedisBudgetStore.LIVE + old);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !x.store().replicaId().equals(old));
    // the claim it had open settles all the same: its spend reaches Redis (its reserved room went with the lease)
    await(x.engine().settle("x1", 0.0008));
    // y's next grant reclaims the old identity's lease
    assertThat(tryReserve(y, "y1", 0.001)).isInstanceOf(BudgetCounters.Reservation.class);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> server.command("HGET", counter, "s").equals("800000"));
    assertThat(server.command("HEXISTS", leases, old)).isEqualTo(":0");
    assertThat(server.command("HGET", counter, "r")).isEqualTo(server.command("HGET", leases, y.store().replicaId()));
    // and x goes on under its new identity
    assertThat(tryReserve(x, "x2", 0.001)).isInstanceOf(BudgetCounters.Reservation.class);
    assertThat(server.command("HEXISTS", leases, x.store().replicaId())).isEqualTo(":1");
    assertThat(databaseCounts()[0]).isEqualTo(800_000L);
  }

  @Test
  void aBurstOfMissesOnOneReplicaLeasesOneSliceNotOnePerClaim() {
    setUp();
    Replica a = replica(SharedRedis.Policy.FAIL_OPEN, null);
    Context loop = vertx.getOrCreateContext();
    // 50 claims of $0.001 at once on a fresh replica: none fits a lease yet, all go to Redis together
    Object all = onLoop(loop, () -> {
      List<Future<BudgetCounters.Reservation>> fs = new ArrayList<>();
      for (int i = 0; i < 50; i++) fs.add(a.engine().reserve("b" + i, "k1", 0.001));
      return Future.all(fs);
    });
    assertThat(all).isNotInstanceOf(Throwable.class);
    // one slice of 1/64 of the $1 (15,625,000) and the other claims alone: a slice each would hold about $0.55
    long reserved = Long.parseLong(server.command("HGET", k1Counter(), "r"));
    assertThat(reserved).isBetween(50_000_000L, 50_000_000L + 15_625_000L);
  }

  @Test
  void aLoweredBudgetAppliesAtOnceThoughTheLeaseHasRoom() {
    setUp();
    Replica a = replica(SharedRedis.Policy.FAIL_OPEN, null);
    assertThat(a.engine().reserve("l1", "k2", 0.01).toCompletionStage().toCompletableFuture().join()).isNotNull();
    await(a.engine().settle("l1", 0.01));
    // the lease has $2.55 unused; the budget drops to $0.015, of which $0.01 is spent
    k2Daily = 0.015;
    Object o;
    try {
      o = a.engine().reserve("l2", "k2", 0.01).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      o = e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(o).isInstanceOf(LlmException.class);
    assertThat(((LlmException) o).kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
    assertThat(((LlmException) o).getMessage()).contains("$0.005000 left");
  }

  @Test
  void claimsFarBelowTheLimitTakeAlmostNoRedisCommand() {
    setUp();
    Replica a = replica(SharedRedis.Policy.FAIL_OPEN, null);
    Context loop = vertx.getOrCreateContext();
    // key big: $1,000 a day; claims of $0.00001 lease 256 claims' worth at a time
    assertThat(onLoop(loop, () -> a.engine().reserve("warm", "big", 0.00001))).isInstanceOf(BudgetCounters.Reservation.class);
    assertThat(server.command("CONFIG", "RESETSTAT")).isEqualTo("+OK");
    int claims = 5_000;
    Promise<Void> done = Promise.promise();
    loop.runOnContext(v -> steady(a, 0, claims, done));
    await(done.future());
    int scripts = scriptCalls();
    System.out.printf("lease steady state: %d scripts for %d claims (%.4f per claim)%n", scripts, claims,
        scripts / (double) claims);
    // per-claim scripts would be 2 per claim (10,000); leases: a grant per 256 claims plus a flush per 100 ms
    assertThat(scripts).isLessThan(claims / 10);
    String counter = RedisBudgetStore.PREFIX + "key:big:" + today();
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> server.command("HGET", counter, "s").equals(Long.toString(claims * 8_000L)));
    assertThat(databaseCounts("key:big")[0]).isEqualTo(claims * 8_000L);
  }

  private static void steady(Replica a, int i, int count, Promise<Void> done) {
    if (i == count) {
      done.complete();
      return;
    }
    a.engine().reserve("s" + i, "big", 0.00001).compose(r -> a.engine().settle("s" + i, 0.000008)).onComplete(ar -> {
      if (ar.failed()) done.fail(ar.cause());
      else steady(a, i + 1, count, done);
    });
  }

  /** EVALSHA and EVAL calls Redis served since the last CONFIG RESETSTAT. */
  private int scriptCalls() {
    int calls = 0;
    for (String line : server.command("INFO", "commandstats").lines().toList()) {
      if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
        String c = line.substring(line.indexOf("calls=") + 6);
        calls += Integer.parseInt(c.substring(0, c.indexOf(',')));
      }
    }
    return calls;
  }

  /** Runs {@code call} on {@code ctx} (an event loop, as the gateway's handlers do) and waits for its result. */
  private static <T> Object onLoop(Context ctx, Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> call.get().onComplete(p));
    try {
      return p.future().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Redis's clients but the one asking: the connections the replica's calls went over. */
  private List<String> replicaConnections() {
    return server.command("CLIENT", "LIST").lines().filter(l -> !l.contains(" cmd=client|list ")).toList();
  }

  @Test
  void callsOnAnEventLoopGoOverThatLoopsOneConnectionWhichReconnectsAfterRedisRestartedEmpty() {
    setUp();
    Replica a = replica(SharedRedis.Policy.FAIL_OPEN, null);
    Context loop = vertx.getOrCreateContext();
    assertThat(loop.isEventLoopContext()).isTrue();
    // 20 reservations in flight at once from one loop: pipelined on its one connection (a pool opens several)
    Object all = onLoop(loop, () -> {
      List<Future<BudgetCounters.Reservation>> fs = new ArrayList<>();
      for (int i = 0; i < 20; i++) fs.add(a.engine().reserve("l" + i, "k1", 0.01));
      return Future.all(fs).compose(x -> {
        List<Future<Void>> settled = new ArrayList<>();
        for (int i = 0; i < 20; i++) settled.add(a.engine().settle("l" + i, 0.01).mapEmpty());
        return Future.all(settled);
      });
    });
    assertThat(all).isNotInstanceOf(Throwable.class);
    assertThat(replicaConnections()).hasSize(1);
    replicas.forEach(r -> r.durable().flush());
    server.kill();
    // the loop's connection is gone: the call is answered (on the lease or, fail_open, the local counters) and
    // Redis counts as down (at the latest when the lease timer's next script finds it gone)
    assertThat(onLoop(loop, () -> a.engine().reserve("down", "k1", 0.01)))
        .isInstanceOf(BudgetCounters.Reservation.class);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !a.redis().up());
    server.restart(); // empty
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> a.redis().up());
    // the loop connects again; Redis is restored from the database ($0.20 spent) before the call is decided
    assertThat(onLoop(loop, () -> a.engine().reserve("after", "k1", 0.5))).isInstanceOf(BudgetCounters.Reservation.class);
    assertThat(server.command("HGET", k1Counter(), "s")).isEqualTo("200000000");
    assertThat(replicaConnections()).hasSize(1);
  }
}
