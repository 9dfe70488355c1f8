package dev.salesagent.server.auth;

import dev.salesagent.router.shared.LuaScript;
import dev.salesagent.router.shared.SharedRedis;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The {@link TokenRateLimiter} shared by every gateway replica: per key a sorted set in Redis of the calls counted in
 * the last 60 s, scored by their time in milliseconds, each member {@code <unique id>:<tokens>}. One script reserves
 * (drop the entries at or before {@code now - 60 s}, sum, admit and add when the sum plus the estimate fits, else
 * answer the milliseconds until enough of the oldest leave); one settles (replace the member by one carrying the
 * reported tokens, same score). So no 60-second window holds more than {@code tpm} tokens admitted by all replicas
 * together (settlements above the estimate aside, see {@link TokenRateLimiter}).
 *
 * <p>Time is Redis's own ({@code TIME}) or an injected millisecond clock (tests). While Redis is unreachable,
 * {@link SharedRedis.Policy#FAIL_OPEN} counts on this replica's {@link SlidingWindowTokenLimiter} and
 * {@link SharedRedis.Policy#FAIL_CLOSED} refuses (retry after 1 s); each such decision counts
 * {@code sales_agent_redis_fallbacks{state="token_limits"}}. A settlement that cannot reach Redis is dropped: the
 * call stays counted at its estimate until it leaves the window.
 */
public final class RedisTokenLimiter implements TokenRateLimiter {
  static final String PREFIX = "sa:tpm:";

  /** KEYS: the key's window. ARGV: tpm, now in ms (negative = Redis TIME), member, tokens. */
  static final LuaScript RESERVE = LuaScript.of("tokens-reserve", """
      local now = tonumber(ARGV[2])
      if now < 0 then
        local t = redis.call('TIME')
        now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      end
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
      local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
      local sum = 0
      for i = 1, #entries, 2 do
        sum = sum + tonumber(string.match(entries[i], ':(%d+)$'))
      end
      local tpm = tonumber(ARGV[1])
      local tokens = tonumber(ARGV[4])
      if sum + tokens <= tpm then
        redis.call('ZADD', KEYS[1], now, ARGV[3])
        redis.call('PEXPIRE', KEYS[1], 60000)
        return 0
      end
      local freed = 0
      for i = 1, #entries, 2 do
        freed = freed + tonumber(string.match(entries[i], ':(%d+)$'))
        if sum - freed + tokens <= tpm then
          return tonumber(entries[i + 1]) + 60000 - now
        end
      end
      return 60000
      """);

  /** KEYS: the key's window. ARGV: the reserved member, the settled member. Gone already: nothing to settle. */
  static final LuaScript SETTLE = LuaScript.of("tokens-settle", """
      local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
      if not score then return 0 end
      redis.call('ZREM', KEYS[1], ARGV[1])
      redis.call('ZADD', KEYS[1], score, ARGV[2])
      return 1
      """);

  private static final Future<Decision> CLOSED = Future.succeededFuture(new Refused(1));

  private final SharedRedis redis;
  private final TokenRateLimiter local;
  private final LongSupplier millisClock;
  private final String replica = UUID.randomUUID().toString().substring(0, 8) + ":";
  private final AtomicLong seq = new AtomicLong();

  public RedisTokenLimiter(SharedRedis redis) {
    this(redis, new SlidingWindowTokenLimiter(), null);
  }

  /**
   * @param local       what counts while Redis is down (fail_open)
   * @param millisClock milliseconds for the window, or {@code null} for Redis's {@code TIME}
   */
  public RedisTokenLimiter(SharedRedis redis, TokenRateLimiter local, LongSupplier millisClock) {
    this.redis = redis;
    this.local = local;
    this.millisClock = millisClock;
  }

  @Override
  public Future<Decision> reserve(String keyId, int tpm, long tokens) {
    if (tpm < 1) throw new IllegalArgumentException("tpm must be at least 1: " + tpm);
    if (tokens < 1 || tokens > tpm) throw new IllegalArgumentException("tokens must be from 1 to tpm: " + tokens);
    if (!redis.up()) return fallback(keyId, tpm, tokens);
    String now = millisClock == null ? "-1" : Long.toString(millisClock.getAsLong());
    String id = replica + seq.incrementAndGet() + ":";
    String key = PREFIX + keyId;
    String member = id + tokens;
    return redis.eval(RESERVE, List.of(key), List.of(Integer.toString(tpm), now, member, Long.toString(tokens)))
        .transform(ar -> {
          if (ar.failed()) return fallback(keyId, tpm, tokens);
          long waitMs = ar.result().toLong();
          if (waitMs == 0) {
            return Future.succeededFuture((Admitted) actual -> settle(key, member, id + Math.max(0, actual)));
          }
          return Future.succeededFuture(new Refused(Math.max(1, -Math.floorDiv(-waitMs, 1000L))));
        });
  }

  private void settle(String key, String member, String settled) {
    if (member.equals(settled) || !redis.up()) return;
    redis.eval(SETTLE, List.of(key), List.of(member, settled)); // failure: the estimate stays (logged by SharedRedis)
  }

  private Future<Decision> fallback(String keyId, int tpm, long tokens) {
    redis.countTokenFallback();
    if (redis.policy() == SharedRedis.Policy.FAIL_CLOSED) return CLOSED;
    return local.reserve(keyId, tpm, tokens);
  }
}
