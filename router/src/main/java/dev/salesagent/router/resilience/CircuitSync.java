package dev.salesagent.router.resilience;

import io.vertx.core.Future;
import java.util.function.BiConsumer;

/**
 * How the replicas of a gateway share their circuit breakers: an opening or a closing made by one is announced to all
 * (they follow within milliseconds), and the half-open probe of a target is run by one replica at a time, the holder of
 * a lease. {@link #LOCAL} for a single process: nothing to tell, every lease is this process's.
 */
public interface CircuitSync {
  /** What a breaker did. */
  enum Event {
    OPENED, CLOSED
  }

  /** Tells every replica (this one included) that {@code target}'s circuit had {@code event}. */
  void announce(String target, Event event);

  /** Runs {@code listener} for every announcement of every replica, this one's own included. */
  void onEvent(BiConsumer<String, Event> listener);

  /**
   * The right to run {@code target}'s half-open probes for {@code ttlMs}: true for at most one replica at a time. A
   * failed future means the lease could not be asked for (Redis unreachable): the caller decides alone then.
   */
  Future<Boolean> probeLease(String target, long ttlMs);

  /** Gives the lease back (the probe ended). */
  void releaseProbe(String target);

  CircuitSync LOCAL = new CircuitSync() {
    @Override
    public void announce(String target, Event event) {}

    @Override
    public void onEvent(BiConsumer<String, Event> listener) {}

    @Override
    public Future<Boolean> probeLease(String target, long ttlMs) {
      return Future.succeededFuture(true);
    }

    @Override
    public void releaseProbe(String target) {}
  };
}
