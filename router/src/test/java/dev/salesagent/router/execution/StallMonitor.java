package dev.salesagent.router.execution;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long this JVM could not run a thread that asked to: a daemon thread sleeps {@link #TICK_MS} at a time and
 * records by how much it woke late. A wait that timed out during a long stall (a frozen or swapped-out machine, a
 * long GC pause) timed out because nothing ran, not because the code under test hung; {@link TimeoutReport} says
 * which.
 */
final class StallMonitor {
  static final long TICK_MS = 50;
  private static final AtomicLong longestMs = new AtomicLong();
  private static final AtomicLong totalMs = new AtomicLong();
  private static volatile boolean started;

  private StallMonitor() {}

  private static synchronized void start() {
    if (started) return;
    Thread t = new Thread(() -> {
      while (true) {
        long t0 = System.nanoTime();
        try {
          Thread.sleep(TICK_MS);
        } catch (InterruptedException e) {
          return;
        }
        long late = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) - TICK_MS;
        if (late > 0) {
          totalMs.addAndGet(late);
          longestMs.accumulateAndGet(late, Math::max);
        }
      }
    }, "harness-stall-monitor");
    t.setDaemon(true);
    t.start();
    started = true;
  }

  /** A point to measure from: the stalls so far (starts the monitor on first use; waits do not nest). */
  static long mark() {
    start();
    longestMs.set(0);
    return totalMs.get();
  }

  /** The stalls since {@code mark}: the longest one and their sum. */
  static String since(long mark) {
    return "the longest stall of this JVM during the wait was " + longestMs.get() + " ms (" + (totalMs.get() - mark)
        + " ms in all): a thread sleeping " + TICK_MS + " ms woke that much late";
  }
}
