package dev.salesagent.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.salesagent.router.shared.SharedRedis;
import dev.salesagent.server.testing.RedisTestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared token window against a real redis-server, two limiter instances (two replicas) on one Redis. */
class RedisTokenLimiterTest {
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

  private static RedisTokenLimiter limiter(SharedRedis redis, AtomicLong clock) {
    return new RedisTokenLimiter(redis, new SlidingWindowTokenLimiter(), clock::get);
  }

  private static TokenRateLimiter.Decision await(Future<TokenRateLimiter.Decision> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void twoReplicasDecideExactlyAsOneSlidingWindow() {
    AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    SharedRedis r1 = new SharedRedis(vertx, server.url(), SharedRedis.Policy.FAIL_OPEN, null, 30_000);
    SharedRedis r2 = new SharedRedis(vertx, server.url(), SharedRedis.Policy.FAIL_OPEN, null, 30_000);
    RedisTokenLimiter a = limiter(r1, clock);
    RedisTokenLimiter b = limiter(r2, clock);
    AtomicLong nanos = new AtomicLong();
    SlidingWindowTokenLimiter reference = new SlidingWindowTokenLimiter(nanos::get);
    String key = "t" + KEYS.incrementAndGet();
    int tpm = 500;
    Random random = new Random(11);
    int admitted = 0;
    int refused = 0;
    for (int i = 0; i < 300; i++) {
      clock.addAndGet(random.nextInt(3) == 0 ? random.nextInt(20_000) : random.nextInt(900));
      nanos.set(TimeUnit.MILLISECONDS.toNanos(clock.get() - 1_700_000_000_000L) + 1);
      long tokens = 1 + random.nextInt(200);
      TokenRateLimiter.Decision d = await((i % 2 == 0 ? a : b).reserve(key, tpm, tokens));
      TokenRateLimiter.Decision expected = await(reference.reserve(key, tpm, tokens));
      if (expected instanceof TokenRateLimiter.Refused re) {
        assertThat(d).as("call %d", i).isEqualTo(re);
        refused++;
      } else {
        assertThat(d).as("call %d", i).isInstanceOf(TokenRateLimiter.Admitted.class);
        // settle both to the same actual count: the shared window follows the reference
        long actual = random.nextInt((int) tokens) + 1;
        ((TokenRateLimiter.Admitted) d).settle(actual);
        ((TokenRateLimiter.Admitted) expected).settle(actual);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sum(key) == reference.inWindow(key));
        admitted++;
      }
    }
    assertThat(admitted).isGreaterThan(30);
    assertThat(refused).isGreaterThan(30);
    r1.close();
    r2.close();
  }

  /** The tokens in the key's shared window (members end in their tokens). */
  private static long sum(String key) {
    var redis = io.vertx.redis.client.Redis.createClient(vertx, server.url());
    try {
      var members = redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.ZRANGE)
          .arg(RedisTokenLimiter.PREFIX + key).arg(0).arg(-1)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      long sum = 0;
      for (var m : members) {
        String s = m.toString();
        sum += Long.parseLong(s.substring(s.lastIndexOf(':') + 1));
      }
      return sum;
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      redis.close();
    }
  }

  @Test
  void redisDownFallsBackToLocalCountersOrRefusesByPolicy() {
    RedisTestServer own = RedisTestServer.start();
    try {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      SharedRedis open = new SharedRedis(vertx, own.url(), SharedRedis.Policy.FAIL_OPEN, registry);
      SharedRedis closed = new SharedRedis(vertx, own.url(), SharedRedis.Policy.FAIL_CLOSED, null);
      AtomicLong clock = new AtomicLong(1_900_000_000_000L);
      RedisTokenLimiter a = limiter(open, clock);
      RedisTokenLimiter c = limiter(closed, clock);
      assertThat(await(a.reserve("x", 100, 90))).isInstanceOf(TokenRateLimiter.Admitted.class);
      own.kill();
      // fail_open: this replica's own window, fresh (its 90 went to Redis)
      assertThat(await(a.reserve("x", 100, 60))).isInstanceOf(TokenRateLimiter.Admitted.class);
      assertThat(open.up()).isFalse();
      assertThat(await(a.reserve("x", 100, 40))).isInstanceOf(TokenRateLimiter.Admitted.class);
      assertThat(await(a.reserve("x", 100, 1))).isInstanceOf(TokenRateLimiter.Refused.class);
      assertThat(registry.get("sales_agent_redis_fallbacks").tag("state", "token_limits").counter().count()).isEqualTo(3);
      assertThat(registry.get("sales_agent_redis_fallbacks").tag("state", "rate_limits").counter().count()).isZero();
      // fail_closed: refused while Redis is away
      assertThat(await(c.reserve("y", 100, 1))).isEqualTo(new TokenRateLimiter.Refused(1));
      own.restart();
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> open.up() && closed.up());
      assertThat(await(c.reserve("y", 100, 1))).isInstanceOf(TokenRateLimiter.Admitted.class);
      open.close();
      closed.close();
    } finally {
      own.close();
    }
  }
}
