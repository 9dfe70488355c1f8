package dev.salesagent.server.auth;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The in-process {@link RateLimiter}: an exact sliding-window log per key (counted per replica). Each key keeps the
 * times of its admitted requests still inside the last 60 s, oldest first, in a ring that grows on demand up to
 * {@code rpm} entries and never beyond — so a key costs memory for the requests it really made in the window, at
 * most {@code rpm} timestamps. A request at time {@code t} is admitted when fewer than {@code rpm} logged requests lie
 * in {@code (t - 60 s, t]}; otherwise its retry-after is the time until the oldest request that must leave does, in
 * whole seconds rounded up. Keys whose window emptied are dropped now and then (every {@value #SWEEP_EVERY} calls).
 *
 * <p>Time is a monotonic nanosecond clock read under the key's map-bin lock (one {@code compute}), so one key's log is
 * in order even when its requests arrive on several threads and a wall-clock jump cannot open or close a window. No
 * I/O, no waiting: the future is always already complete (and shared when admitted).
 */
public final class SlidingWindowRateLimiter implements RateLimiter {
  static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final int SWEEP_EVERY = 4096;
  private static final Future<RateDecision> ADMITTED = Future.succeededFuture(RateDecision.ADMITTED);

  private final ConcurrentHashMap<String, Log> logs = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;
  private final AtomicInteger calls = new AtomicInteger();

  public SlidingWindowRateLimiter() {
    this(System::nanoTime);
  }

  /** @param nanoClock a monotonic clock in nanoseconds (tests pass one they move by hand) */
  public SlidingWindowRateLimiter(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  @Override
  public Future<RateDecision> acquire(String keyId, int rpm) {
    if (rpm < 1) throw new IllegalArgumentException("rpm must be at least 1: " + rpm);
    long[] waitNanos = {0};
    logs.compute(keyId, (k, log) -> {
      if (log == null) log = new Log(Math.min(4, rpm));
      waitNanos[0] = log.tryAdmit(nanoClock.getAsLong(), rpm);
      return log;
    });
    if ((calls.incrementAndGet() & (SWEEP_EVERY - 1)) == 0) sweep();
    if (waitNanos[0] == 0) return ADMITTED;
    return Future.succeededFuture(new RateDecision.Refused(Math.max(1, ceilDiv(waitNanos[0], SECOND_NANOS))));
  }

  /** Keys currently holding a log (for tests and metrics). */
  int trackedKeys() {
    return logs.size();
  }

  /** Drops the logs whose every request has left the window; inside {@code compute}, so no admission is lost. */
  void sweep() {
    for (String key : logs.keySet()) {
      logs.computeIfPresent(key, (k, log) -> log.expire(nanoClock.getAsLong()) == 0 ? null : log);
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** One key's admitted request times inside the window, oldest first, in a ring. Guarded by the map bin's lock. */
  private static final class Log {
    private long[] times;
    private int head;
    private int size;

    Log(int capacity) {
      times = new long[capacity];
    }

    /** Admits and logs {@code now} (returns 0), or returns the nanoseconds until one more request fits. */
    long tryAdmit(long now, int rpm) {
      int inWindow = expire(now);
      if (inWindow < rpm) {
        if (size == times.length) grow(rpm);
        times[(head + size) % times.length] = now;
        size++;
        return 0;
      }
      // rpm may have been lowered since these were logged: the (inWindow - rpm + 1) oldest must all leave
      long mustLeave = times[(head + inWindow - rpm) % times.length];
      return mustLeave + WINDOW_NANOS - now;
    }

    /** Forgets the requests at or before {@code now - 60 s}; returns how many remain. */
    int expire(long now) {
      long edge = now - WINDOW_NANOS;
      while (size > 0 && times[head] - edge <= 0) {
        head = (head + 1) % times.length;
        size--;
      }
      return size;
    }

    /** Doubles the ring, capped at {@code rpm}: the log never holds more than the limit admits in a window. */
    private void grow(int rpm) {
      int capacity = (int) Math.min(rpm, 2L * times.length);
      long[] next = new long[capacity];
      for (int i = 0; i < size; i++) next[i] = times[(head + i) % times.length];
      times = next;
      head = 0;
    }
  }
}
