package dev.salesagent.router.execution;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.ArrayDeque;

/**
 * A provider's bulkhead ({@code max_concurrency}): a fixed number of slots and a FIFO queue of waiters, without
 * blocking and without polling. A freed slot goes straight to the longest waiter, on that waiter's own context; a
 * newcomer never overtakes a waiter. A waiter that {@link #leave leaves} (its caller cancelled, or its deadline came)
 * is out of the queue and never gets a slot. Safe from any thread: requests on every event loop share one provider.
 */
public final class ProviderSlots {
  private final int max;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int free;

  /** One attempt waiting for a slot. */
  static final class Waiter {
    private final Context context;
    private final Handler<Void> granted;

    private Waiter(Context context, Handler<Void> granted) {
      this.context = context;
      this.granted = granted;
    }
  }

  ProviderSlots(int max) {
    if (max <= 0) throw new IllegalArgumentException("max_concurrency must be positive: " + max);
    this.max = max;
    this.free = max;
  }

  /** Takes a slot if one is free and nobody waits for one (no allocation: the common case). */
  synchronized boolean tryAcquire() {
    if (free > 0 && waiters.isEmpty()) {
      free--;
      return true;
    }
    return false;
  }

  /**
   * Queues for the next slot: {@code granted} then runs on {@code context} once the slot is this waiter's. Returns the
   * waiter (so its owner can {@link #leave} the queue), or null when a slot came free since {@link #tryAcquire} and was
   * taken now.
   */
  Waiter enqueue(Context context, Handler<Void> granted) {
    synchronized (this) {
      if (free > 0 && waiters.isEmpty()) {
        free--;
        return null;
      }
      Waiter w = new Waiter(context, granted);
      waiters.addLast(w);
      return w;
    }
  }

  /**
   * Takes {@code w} out of the queue; false when it is no longer there — a slot was handed to it already and its
   * {@code granted} is on its way (its owner must then give that slot back).
   */
  synchronized boolean leave(Waiter w) {
    return waiters.remove(w);
  }

  /** Gives a slot back: to the longest waiter if there is one, else to the free ones. */
  void release() {
    Waiter next;
    synchronized (this) {
      next = waiters.pollFirst();
      if (next == null) {
        if (free < max) free++;
        return;
      }
    }
    // the slot changes hands without being free in between; the waiter continues on its own context, never inline in
    // the attempt that gave the slot back
    Waiter w = next;
    w.context.runOnContext(v -> w.granted.handle(null));
  }

  public int max() { return max; }

  /** Slots free right now. */
  public synchronized int available() { return free; }

  /** Attempts waiting for a slot right now. */
  public synchronized int waiting() { return waiters.size(); }
}
