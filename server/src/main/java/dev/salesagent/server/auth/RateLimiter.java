package dev.salesagent.server.auth;

import io.vertx.core.Future;

/**
 * Admits or refuses one API request of a key under its requests-per-minute limit. The contract every implementation
 * keeps (in process today; shared across replicas next):
 *
 * <ul>
 *   <li>no 60-second window, wherever it starts, holds more than {@code rpm} admitted requests of one key — a
 *       sliding window over the admitted requests, not a fixed clock minute (which admits {@code 2 × rpm} across a
 *       minute's edge) and not a token bucket (which lets a refilled burst exceed {@code rpm} in some window);</li>
 *   <li>a request is refused only when admitting it would break that rule, and then
 *       {@link RateDecision.Refused#retryAfterSeconds()} is the whole seconds until enough counted requests have left
 *       the window for one more to fit (rounded up, at least 1): retrying after it succeeds unless others took the
 *       room first;</li>
 *   <li>a refused request is not counted;</li>
 *   <li>never blocks the calling thread: the answer is a future (completed at once when the count is local).</li>
 * </ul>
 */
public interface RateLimiter {

  /**
   * Counts one request of {@code keyId} if it fits under {@code rpm}.
   *
   * @param rpm the key's limit, at least 1; it may change between calls (the window keeps what was admitted)
   */
  Future<RateDecision> acquire(String keyId, int rpm);
}
