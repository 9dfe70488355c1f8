package dev.salesagent.server.auth;

import dev.salesagent.router.shared.LuaScript;
import dev.salesagent.router.shared.SharedRedis;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The {@link RateLimiter} shared by every gateway replica: an exact sliding-window log per key in Redis (a sorted set
 * of admitted requests scored by their time in milliseconds), checked and added by one Lua script — drop the entries
 * at or before {@code now - 60 s}, count, admit and log, or answer the milliseconds until enough of them leave. So no
 * 60-second window holds more than {@code rpm} requests admitted by all replicas together.
 *
 * <p>Time is Redis's own ({@code TIME} inside the script: one clock for every replica, whatever theirs say), or an
 * injected millisecond clock (tests). While Redis is unreachable, {@link SharedRedis.Policy#FAIL_OPEN} counts on this
 * replica's own {@link SlidingWindowRateLimiter} and {@link SharedRedis.Policy#FAIL_CLOSED} refuses (retry after 1 s).
 */
public final class RedisRateLimiter implements RateLimiter {
  static final String PREFIX = "sa:rpm:";

  /** KEYS: the key's log. ARGV: rpm, now in ms (negative = Redis TIME), a member unique to this request. */
  static final LuaScript ACQUIRE = LuaScript.of("rate-acquire", """
      local now = tonumber(ARGV[2])
      if now < 0 then
        local t = redis.call('TIME')
        now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      end
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
      local count = redis.call('ZCARD', KEYS[1])
      local rpm = tonumber(ARGV[1])
      if count < rpm then
        redis.call('ZADD', KEYS[1], now, ARGV[3])
        redis.call('PEXPIRE', KEYS[1], 60000)
        return 0
      end
      local must = redis.call('ZRANGE', KEYS[1], count - rpm, count - rpm, 'WITHSCORES')
      return tonumber(must[2]) + 60000 - now
      """);

  private static final Future<RateDecision> ADMITTED = Future.succeededFuture(RateDecision.ADMITTED);
  private static final RateDecision.Refused CLOSED = new RateDecision.Refused(1);

  private final SharedRedis redis;
  private final RateLimiter local;
  private final LongSupplier millisClock;
  private final String replica = UUID.randomUUID().toString().substring(0, 8) + ":";
  private final AtomicLong seq = new AtomicLong();

  public RedisRateLimiter(SharedRedis redis) {
    this(redis, new SlidingWindowRateLimiter(), null);
  }

  /**
   * @param local       what counts while Redis is down (fail_open)
   * @param millisClock milliseconds for the window, or {@code null} for Redis's {@code TIME}
   */
  public RedisRateLimiter(SharedRedis redis, RateLimiter local, LongSupplier millisClock) {
    this.redis = redis;
    this.local = local;
    this.millisClock = millisClock;
  }

  @Override
  public Future<RateDecision> acquire(String keyId, int rpm) {
    if (rpm < 1) throw new IllegalArgumentException("rpm must be at least 1: " + rpm);
    if (!redis.up()) return fallback(keyId, rpm);
    String now = millisClock == null ? "-1" : Long.toString(millisClock.getAsLong());
    return redis.eval(ACQUIRE, List.of(PREFIX + keyId), List.of(Integer.toString(rpm), now, replica + seq.incrementAndGet()))
        .transform(ar -> {
          if (ar.failed()) return fallback(keyId, rpm);
          long waitMs = ar.result().toLong();
          if (waitMs == 0) return ADMITTED;
          return Future.succeededFuture(new RateDecision.Refused(Math.max(1, -Math.floorDiv(-waitMs, 1000L))));
        });
  }

  private Future<RateDecision> fallback(String keyId, int rpm) {
    redis.countRateFallback();
    if (redis.policy() == SharedRedis.Policy.FAIL_CLOSED) return Future.succeededFuture(CLOSED);
    return local.acquire(keyId, rpm);
  }
}
