package dev.salesagent.router.execution;

import java.util.concurrent.TimeUnit;

/**
 * The one deadline a request runs under, from retries to continuations. It starts before planning, so time spent
 * resolving and planning counts against it too.
 */
record Deadline(long startNanos, long atNanos) {

  static Deadline of(long startNanos, long totalMs) {
    return new Deadline(startNanos, startNanos + TimeUnit.MILLISECONDS.toNanos(totalMs));
  }

  long remainingMs() {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(atNanos - System.nanoTime()));
  }

  long elapsedMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
