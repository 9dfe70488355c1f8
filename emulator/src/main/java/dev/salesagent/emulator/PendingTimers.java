package dev.salesagent.emulator;

import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulator's delayed work (latency before an answer, the gap between streamed pieces): every timer is tracked so
 * {@link #close()} cancels what is pending and nothing runs after it.
 */
final class PendingTimers {
  private final Vertx vertx;
  private final Set<Long> timers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  PendingTimers(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code action} now when {@code delayMs <= 0}, else after it unless closed by then. */
  void later(long delayMs, Runnable action) {
    if (delayMs <= 0) {
      action.run();
      return;
    }
    long[] id = new long[1];
    id[0] = vertx.setTimer(delayMs, t -> {
      timers.remove(id[0]);
      if (!closed) action.run();
    });
    timers.add(id[0]);
  }

  boolean closed() {
    return closed;
  }

  int size() {
    return timers.size();
  }

  void close() {
    closed = true;
    for (Long t : timers) vertx.cancelTimer(t);
    timers.clear();
  }
}
