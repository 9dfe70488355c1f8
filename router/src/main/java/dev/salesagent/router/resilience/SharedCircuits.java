package dev.salesagent.router.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This replica's circuit breakers kept in step with the other replicas' through a {@link CircuitSync}:
 * <ul>
 *   <li>a breaker that opens here is announced; an opening announced elsewhere opens the breaker here (a target
 *       failing for one replica is skipped by all within the announcement's delivery, milliseconds);</li>
 *   <li>shortly before the open period ends ({@link #lead}), every replica asks for the target's probe lease; the
 *       holder lets its breaker go half-open as usual and runs the half-open calls; the others hold theirs
 *       forced-open (skipped by plans, no call) until the holder announces the outcome: closed (they close) or opened
 *       again (they open, and the next period is contested afresh). A holder that got no traffic to probe with lets
 *       its lease expire after one open period; then another replica takes it. So a target gets the half-open calls
 *       of one replica per open period, not one replica's worth per replica.</li>
 * </ul>
 * Transitions made on another replica's word are not announced again. With {@link CircuitSync#LOCAL} nothing of this
 * is installed: a single process behaves as before. Nothing here runs on the request path: the breakers' own
 * transition events and Vert.x timers drive it.
 */
public final class SharedCircuits {
  /** Set while a transition is made on another replica's word (or the lease's), so it is not announced. */
  private static final ThreadLocal<Boolean> QUIET = new ThreadLocal<>();

  private final Vertx vertx;
  private final CircuitSync sync;
  private final long openMs;
  private final long lead;
  private final Map<String, CircuitBreaker> breakers;
  private final Map<String, Long> timers = new ConcurrentHashMap<>();

  public SharedCircuits(Vertx vertx, CircuitSync sync, long openMs, Map<String, CircuitBreaker> breakers) {
    this.vertx = vertx;
    this.sync = sync;
    this.openMs = openMs;
    this.lead = Math.min(100, openMs / 10);
    this.breakers = Map.copyOf(breakers);
    this.breakers.forEach((name, b) -> b.getEventPublisher().onStateTransition(e -> {
      if (QUIET.get() == null) local(name, e.getStateTransition());
    }));
    sync.onEvent(this::remote);
  }

  private void local(String name, CircuitBreaker.StateTransition t) {
    if (t.getToState() == State.OPEN) {
      sync.releaseProbe(name); // a failed half-open probe here: the next period is contested afresh
      sync.announce(name, CircuitSync.Event.OPENED);
      scheduleLease(name, openMs - lead);
    } else if (t.getToState() == State.CLOSED && t.getFromState() == State.HALF_OPEN) {
      cancel(name);
      sync.releaseProbe(name);
      sync.announce(name, CircuitSync.Event.CLOSED);
    }
  }

  private void remote(String name, CircuitSync.Event e) {
    CircuitBreaker b = breakers.get(name);
    if (b == null) return;
    State s = b.getState();
    if (e == CircuitSync.Event.OPENED && s != State.OPEN) {
      quietly(b::transitionToOpenState);
      scheduleLease(name, openMs - lead);
    } else if (e == CircuitSync.Event.CLOSED && s != State.CLOSED) {
      cancel(name);
      quietly(b::transitionToClosedState);
    }
  }

  private void scheduleLease(String name, long inMs) {
    cancel(name);
    timers.put(name, vertx.setTimer(Math.max(1, inMs), id -> {
      timers.remove(name, id);
      askLease(name);
    }));
  }

  private void askLease(String name) {
    CircuitBreaker b = breakers.get(name);
    sync.probeLease(name, openMs).onComplete(ar -> {
      boolean mine = ar.failed() || Boolean.TRUE.equals(ar.result()); // no answer: decide alone, as one process does
      State s = b.getState();
      if (s != State.OPEN && s != State.FORCED_OPEN) return; // closed (or probing) meanwhile
      if (mine) {
        if (s == State.FORCED_OPEN) quietly(b::transitionToHalfOpenState);
      } else {
        if (s == State.OPEN) quietly(b::transitionToForcedOpenState);
        scheduleLease(name, openMs); // the holder's outcome normally arrives first; else its lease expired: try again
      }
    });
  }

  private void cancel(String name) {
    Long t = timers.remove(name);
    if (t != null) vertx.cancelTimer(t);
  }

  private static void quietly(Runnable r) {
    QUIET.set(Boolean.TRUE);
    try {
      r.run();
    } finally {
      QUIET.remove();
    }
  }

  /** Cancels the timers (the runtime closes). */
  public void stop() {
    timers.keySet().forEach(this::cancel);
  }
}
