package dev.salesagent.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.shared.SharedRedis;
import dev.salesagent.server.testing.RedisTestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared sliding window against a real redis-server, two limiter instances (two replicas) on one Redis. */
class RedisRateLimiterTest {
  private static RedisTestServer server;
  private static Vertx vertx;
  private static final AtomicLong KEYS = new AtomicLong();

  @BeforeAll
  static void start() {
    server = RedisTestServer.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    server.close();
  }

  private static SharedRedis redis(SharedRedis.Policy policy, SimpleMeterRegistry registry) {
    return new SharedRedis(vertx, server.url(), policy, registry, 30_000);
  }

  /** A replica's limiter on the test's clock, its own window to fall back on. */
  private static RedisRateLimiter limiter(SharedRedis redis, AtomicLong clock) {
    return new RedisRateLimiter(redis, new SlidingWindowRateLimiter(), clock::get);
  }

  private static RateDecision await(Future<RateDecision> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void twoReplicasDecideExactlyAsOneSlidingWindowAndNoWindowHoldsMoreThanRpm() {
    AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    SharedRedis r1 = redis(SharedRedis.Policy.FAIL_OPEN, null);
    SharedRedis r2 = redis(SharedRedis.Policy.FAIL_OPEN, null);
    RedisRateLimiter a = limiter(r1, clock);
    RedisRateLimiter b = limiter(r2, clock);
    // The exact in-process window over the same request times is the reference for every decision.
    AtomicLong nanos = new AtomicLong();
    SlidingWindowRateLimiter reference = new SlidingWindowRateLimiter(nanos::get);
    String key = "k" + KEYS.incrementAndGet();
    int rpm = 7;
    Random random = new Random(42);
    List<Long> admitted = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < 400; i++) {
      clock.addAndGet(random.nextInt(3) == 0 ? random.nextInt(20_000) : random.nextInt(900));
      nanos.set(TimeUnit.MILLISECONDS.toNanos(clock.get() - 1_700_000_000_000L) + 1);
      RateDecision d = await((i % 2 == 0 ? a : b).acquire(key, rpm));
      RateDecision expected = await(reference.acquire(key, rpm));
      if (expected instanceof RateDecision.Refused re) {
        assertThat(d).as("request %d at %d", i, clock.get()).isInstanceOf(RateDecision.Refused.class);
        // the reference counts in nanoseconds, Redis in milliseconds: the rounding up to whole seconds agrees
        assertThat(((RateDecision.Refused) d).retryAfterSeconds()).isEqualTo(re.retryAfterSeconds());
        refused++;
      } else {
        assertThat(d).as("request %d at %d", i, clock.get()).isSameAs(RateDecision.ADMITTED);
        admitted.add(clock.get());
      }
    }
    assertThat(refused).isGreaterThan(50);
    assertThat(admitted.size()).isGreaterThan(50);
    for (int i = 0; i < admitted.size(); i++) {
      long t = admitted.get(i);
      long inWindow = admitted.stream().filter(x -> x > t - 60_000 && x <= t).count();
      assertThat(inWindow).as("admitted in the 60 s ending at %d", t).isLessThanOrEqualTo(rpm);
    }
    r1.close();
    r2.close();
  }

  @Test
  void concurrentRequestsFromTwoReplicasAtOnceAdmitExactlyRpmAndRetryAfterIsWhenTheOldestLeaves() {
    AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    SharedRedis r1 = redis(SharedRedis.Policy.FAIL_OPEN, null);
    SharedRedis r2 = redis(SharedRedis.Policy.FAIL_OPEN, null);
    RedisRateLimiter a = limiter(r1, clock);
    RedisRateLimiter b = limiter(r2, clock);
    String key = "k" + KEYS.incrementAndGet();
    List<Future<RateDecision>> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) all.add((i % 2 == 0 ? a : b).acquire(key, 25));
    long admitted = all.stream().map(RedisRateLimiterTest::await).filter(d -> d == RateDecision.ADMITTED).count();
    assertThat(admitted).isEqualTo(25);
    clock.addAndGet(58_500);
    assertThat(await(a.acquire(key, 25))).isEqualTo(new RateDecision.Refused(2)); // 1.5 s left, rounded up
    clock.addAndGet(1_500);
    assertThat(await(b.acquire(key, 25))).isSameAs(RateDecision.ADMITTED);
    r1.close();
    r2.close();
  }

  @Test
  void redisTimeIsTheClockWhenNoneIsInjected() {
    SharedRedis r1 = redis(SharedRedis.Policy.FAIL_OPEN, null);
    RedisRateLimiter a = new RedisRateLimiter(r1);
    String key = "k" + KEYS.incrementAndGet();
    assertThat(await(a.acquire(key, 2))).isSameAs(RateDecision.ADMITTED);
    assertThat(await(a.acquire(key, 2))).isSameAs(RateDecision.ADMITTED);
    RateDecision d = await(a.acquire(key, 2));
    assertThat(d).isInstanceOf(RateDecision.Refused.class);
    assertThat(((RateDecision.Refused) d).retryAfterSeconds()).isBetween(1L, 60L);
    r1.close();
  }

  @Test
  void redisDownFallsBackToLocalCountersOrRefusesByPolicyAndComesBack() {
    RedisTestServer own = RedisTestServer.start();
    try {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      SharedRedis open = new SharedRedis(vertx, own.url(), SharedRedis.Policy.FAIL_OPEN, registry);
      SharedRedis closed = new SharedRedis(vertx, own.url(), SharedRedis.Policy.FAIL_CLOSED, null);
      AtomicLong clock = new AtomicLong(1_900_000_000_000L);
      RedisRateLimiter a = limiter(open, clock);
      RedisRateLimiter c = limiter(closed, clock);
      assertThat(await(a.acquire("x", 3))).isSameAs(RateDecision.ADMITTED);
      assertThat(await(c.acquire("x", 3))).isSameAs(RateDecision.ADMITTED);
      own.kill();
      // fail_open: answered from this replica's own window (3 fresh admissions), never an error
      assertThat(await(a.acquire("x", 3))).isSameAs(RateDecision.ADMITTED);
      assertThat(open.up()).isFalse();
      assertThat(await(a.acquire("x", 3))).isSameAs(RateDecision.ADMITTED);
      assertThat(await(a.acquire("x", 3))).isSameAs(RateDecision.ADMITTED);
      assertThat(await(a.acquire("x", 3))).isInstanceOf(RateDecision.Refused.class);
      assertThat(registry.get("sales_agent_redis_fallbacks").tag("state", "rate_limits").counter().count()).isEqualTo(4);
      assertThat(registry.get("sales_agent_redis_up").gauge().value()).isZero();
      // fail_closed: refused while Redis is away
      assertThat(await(c.acquire("y", 3))).isEqualTo(new RateDecision.Refused(1));
      assertThat(closed.up()).isFalse();
      own.restart();
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> open.up() && closed.up());
      assertThat(registry.get("sales_agent_redis_up").gauge().value()).isEqualTo(1);
      assertThat(await(c.acquire("y", 3))).isSameAs(RateDecision.ADMITTED);
      open.close();
      closed.close();
    } finally {
      own.close();
    }
  }

  @Test
  void thePasswordOfTheUrlIsNeverShown() {
    assertThat(SharedRedis.redact("redis://:s3cret@127.0.0.1:6379/0")).isEqualTo("redis://:***@127.0.0.1:6379/0");
    assertThat(SharedRedis.redact("rediss://app:s3cret@redis.internal:6380/2")).isEqualTo("rediss://app:***@redis.internal:6380/2");
    assertThat(SharedRedis.redact("redis://127.0.0.1:6379/0")).isEqualTo("redis://127.0.0.1:6379/0");
  }
}
