package dev.salesagent.crm.hubspot;

/**
 * HubSpot's rate limits as the client sees them: every answer carries {@code X-HubSpot-RateLimit-Max},
 * {@code -Remaining} and {@code -Interval-Milliseconds} (a 10-second window). When an answer says the window is used up
 * ({@code Remaining: 0}) or HubSpot answers 429, the next request waits a whole interval — the longest the current
 * window can still last, since HubSpot does not say when it started — or the {@code Retry-After} when that is longer.
 * Thread-safe; times are {@link System#nanoTime()} values passed in, so tests drive it without a clock.
 */
final class RateLimitGate {
  static final long DEFAULT_INTERVAL_MS = 10_000;

  private long notBeforeNanos = Long.MIN_VALUE;
  private long lastIntervalMs = DEFAULT_INTERVAL_MS;

  /** Milliseconds to wait before the next request may go out (0 = now). */
  synchronized long delayMs(long nowNanos) {
    if (notBeforeNanos == Long.MIN_VALUE || nowNanos >= notBeforeNanos) return 0;
    return Math.max(1, (notBeforeNanos - nowNanos + 999_999) / 1_000_000);
  }

  /**
   * Reads an answer's rate-limit headers (null when absent). Returns the wait it imposes in milliseconds (0 = none).
   *
   * @param retryAfterSeconds a {@code Retry-After} header's value, or null
   */
  synchronized long observe(int status, String remaining, String intervalMs, String retryAfterSeconds, long nowNanos) {
    long interval = parse(intervalMs, lastIntervalMs);
    if (interval <= 0) interval = DEFAULT_INTERVAL_MS;
    lastIntervalMs = interval;
    long wait = 0;
    if (status == 429 || parse(remaining, 1) == 0) wait = interval;
    long retryAfter = parse(retryAfterSeconds, 0);
    if (status == 429 && retryAfter > 0) wait = Math.max(wait, retryAfter * 1000);
    if (wait > 0) {
      long until = nowNanos + wait * 1_000_000;
      if (notBeforeNanos == Long.MIN_VALUE || until > notBeforeNanos) notBeforeNanos = until;
    }
    return wait;
  }

  private static long parse(String v, long dflt) {
    if (v == null || v.isBlank()) return dflt;
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
