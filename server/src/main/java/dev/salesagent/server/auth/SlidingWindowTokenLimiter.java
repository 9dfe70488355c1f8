package dev.salesagent.server.auth;

import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The in-process {@link TokenRateLimiter} (counted per replica): per key a deque of (time, tokens) entries still inside
 * the last 60 s, oldest first, with their running sum. A call of {@code n} tokens at {@code t} is admitted when the sum
 * over {@code (t - 60 s, t]} plus {@code n} is at most {@code tpm}; otherwise its retry-after is the time until enough
 * of the oldest entries have left for it to fit. Settling changes the entry's tokens and the sum, unless the entry has
 * already left the window (then nothing is left to correct).
 *
 * <p>Time is a monotonic nanosecond clock read under the key's map-bin lock, as in {@link SlidingWindowRateLimiter}.
 */
public final class SlidingWindowTokenLimiter implements TokenRateLimiter {
  static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final int SWEEP_EVERY = 4096;

  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;
  private final AtomicInteger calls = new AtomicInteger();

  public SlidingWindowTokenLimiter() {
    this(System::nanoTime);
  }

  /** @param nanoClock a monotonic clock in nanoseconds (tests pass one they move by hand) */
  public SlidingWindowTokenLimiter(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  @Override
  public Future<Decision> reserve(String keyId, int tpm, long tokens) {
    if (tpm < 1) throw new IllegalArgumentException("tpm must be at least 1: " + tpm);
    if (tokens < 1 || tokens > tpm) throw new IllegalArgumentException("tokens must be from 1 to tpm: " + tokens);
    Object[] out = new Object[1];
    windows.compute(keyId, (k, w) -> {
      if (w == null) w = new Window();
      out[0] = w.tryReserve(k, nanoClock.getAsLong(), tpm, tokens);
      return w;
    });
    if ((calls.incrementAndGet() & (SWEEP_EVERY - 1)) == 0) sweep();
    return Future.succeededFuture((Decision) out[0]);
  }

  /** Tokens counted for {@code keyId} in the window ending now (tests). */
  long inWindow(String keyId) {
    long[] sum = {0};
    windows.computeIfPresent(keyId, (k, w) -> {
      sum[0] = w.expire(nanoClock.getAsLong());
      return w;
    });
    return sum[0];
  }

  /** Drops the windows whose every entry has left; inside {@code compute}, so no admission is lost. */
  void sweep() {
    for (String key : windows.keySet()) {
      windows.computeIfPresent(key, (k, w) -> w.expire(nanoClock.getAsLong()) == 0 && w.entries.isEmpty() ? null : w);
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** One counted call; {@code tokens} changes once when settled. Guarded by the map bin's lock of its key. */
  private static final class Entry {
    final long time;
    long tokens;
    boolean gone;

    Entry(long time, long tokens) {
      this.time = time;
      this.tokens = tokens;
    }
  }

  /** One key's entries inside the window, oldest first, and their sum. */
  private final class Window {
    final ArrayDeque<Entry> entries = new ArrayDeque<>();
    long sum;

    Decision tryReserve(String keyId, long now, int tpm, long tokens) {
      long counted = expire(now);
      if (counted + tokens <= tpm) {
        Entry e = new Entry(now, tokens);
        entries.addLast(e);
        sum += tokens;
        return (Admitted) actual -> settle(keyId, e, actual);
      }
      // walk the oldest entries until enough have left for this call to fit
      long freed = 0;
      long waitNanos = WINDOW_NANOS;
      for (Entry e : entries) {
        freed += e.tokens;
        if (counted - freed + tokens <= tpm) {
          waitNanos = e.time + WINDOW_NANOS - now;
          break;
        }
      }
      return new Refused(Math.max(1, ceilDiv(waitNanos, SECOND_NANOS)));
    }

    /** Forgets the entries at or before {@code now - 60 s}; returns the tokens that remain. */
    long expire(long now) {
      long edge = now - WINDOW_NANOS;
      while (!entries.isEmpty() && entries.peekFirst().time - edge <= 0) {
        Entry e = entries.pollFirst();
        e.gone = true;
        sum -= e.tokens;
      }
      return sum;
    }
  }

  private void settle(String keyId, Entry e, long actual) {
    long tokens = Math.max(0, actual);
    windows.computeIfPresent(keyId, (k, w) -> {
      if (!e.gone) {
        w.sum += tokens - e.tokens;
        e.tokens = tokens;
      }
      return w;
    });
  }
}
