package dev.salesagent.server.auth;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key requests per minute: a fixed one-minute window per key, counted in memory (per replica). Lock-free on the
 * hot path apart from one compute on a concurrent map bucket.
 */
public final class RateLimiter {
  private static final class Window {
    long minute;
    int count;
  }

  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /** 0 when allowed, else the seconds until the window resets (for Retry-After). */
  public long acquire(String keyId, int rpm, long nowMillis) {
    long minute = nowMillis / 60_000;
    long[] wait = {0};
    windows.compute(keyId, (k, w) -> {
      if (w == null) w = new Window();
      if (w.minute != minute) {
        w.minute = minute;
        w.count = 0;
      }
      if (w.count >= rpm) {
        wait[0] = Math.max(1, ((minute + 1) * 60_000 - nowMillis + 999) / 1000);
      } else {
        w.count++;
      }
      return w;
    });
    return wait[0];
  }
}
