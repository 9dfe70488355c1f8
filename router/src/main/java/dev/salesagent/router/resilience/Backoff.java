package dev.salesagent.router.resilience;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (a uniform wait in {@code [0, min(max, initial * 2^attempt)]}), overridden by
 * a Retry-After the provider sent. As a Resilience4j {@link IntervalBiFunction}, so the same policy can back a
 * Resilience4j {@code Retry}; the router itself schedules the wait with a Vert.x timer, never blocking.
 */
public final class Backoff implements IntervalBiFunction<Object> {
  private final long initialMs;
  private final long maxMs;

  public Backoff(long initialMs, long maxMs) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  /** The ceiling before jitter for the {@code attempt}-th retry (1-based). */
  public long ceilingMs(int attempt) {
    int shift = Math.min(30, Math.max(0, attempt - 1));
    long c = initialMs << shift;
    return c <= 0 || c > maxMs ? maxMs : c;
  }

  /** The wait before the {@code attempt}-th retry (1-based), or the Retry-After when one was given. */
  public long delayMs(int attempt, Duration retryAfter) {
    if (retryAfter != null && !retryAfter.isNegative()) return retryAfter.toMillis();
    return ThreadLocalRandom.current().nextLong(ceilingMs(attempt) + 1);
  }

  @Override
  public Long apply(Integer attempt, Either<Throwable, Object> either) {
    Duration ra = null;
    if (either != null && either.isLeft() && either.getLeft() instanceof dev.salesagent.router.error.LlmException e) ra = e.retryAfter();
    return delayMs(attempt == null ? 1 : attempt, ra);
  }
}
