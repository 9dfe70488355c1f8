package dev.salesagent.router.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two replicas' breakers of one target kept in step through an in-memory {@link CircuitSync}. */
class SharedCircuitsTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  /** Announcements reach every member (the sender too, as pub/sub does); one lease holder at a time. */
  static final class Bus {
    final List<BiConsumer<String, CircuitSync.Event>> listeners = new CopyOnWriteArrayList<>();
    final List<String> announced = new CopyOnWriteArrayList<>();
    volatile String holder;

    CircuitSync member(String id) {
      return new CircuitSync() {
        @Override
        public void announce(String target, Event event) {
          announced.add(id + ":" + event);
          listeners.forEach(l -> l.accept(target, event));
        }

        @Override
        public void onEvent(BiConsumer<String, Event> l) {
          listeners.add(l);
        }

        @Override
        public synchronized Future<Boolean> probeLease(String target, long ttlMs) {
          synchronized (Bus.this) {
            if (holder == null) holder = id;
            return Future.succeededFuture(holder.equals(id));
          }
        }

        @Override
        public void releaseProbe(String target) {
          synchronized (Bus.this) {
            if (id.equals(holder)) holder = null;
          }
        }
      };
    }
  }

  static CircuitBreaker breaker() {
    return CircuitBreaker.of("p/m", CircuitBreakerConfig.custom().failureRateThreshold(50).minimumNumberOfCalls(2)
        .slidingWindowSize(2).waitDurationInOpenState(Duration.ofMillis(500)).permittedNumberOfCallsInHalfOpenState(1)
        .automaticTransitionFromOpenToHalfOpenEnabled(false).build());
  }

  static void fail(CircuitBreaker b) {
    assertThat(b.tryAcquirePermission()).isTrue();
    b.onError(1, TimeUnit.MILLISECONDS, new RuntimeException("x"));
  }

  @Test
  void anOpeningIsFollowedAndOneReplicaProbes() {
    Bus bus = new Bus();
    CircuitBreaker a = breaker();
    CircuitBreaker b = breaker();
    new SharedCircuits(vertx, bus.member("a"), 500, Map.of("p/m", a));
    new SharedCircuits(vertx, bus.member("b"), 500, Map.of("p/m", b));
    fail(a);
    fail(a);
    assertThat(a.getState()).isEqualTo(State.OPEN);
    assertThat(b.getState()).as("opened on a's word").isEqualTo(State.OPEN);
    assertThat(bus.announced).containsExactly("a:OPENED"); // b's transition is not announced again

    // near the end of the open period a holds the lease (it asked first or b did: one of them), the other waits
    await().atMost(Duration.ofSeconds(10)).until(() -> a.getState() == State.FORCED_OPEN || b.getState() == State.FORCED_OPEN);
    CircuitBreaker holder = bus.holder.equals("a") ? a : b;
    CircuitBreaker other = holder == a ? b : a;
    assertThat(other.getState()).isEqualTo(State.FORCED_OPEN);
    assertThat(other.tryAcquirePermission()).as("no half-open call from the replica without the lease").isFalse();
    await().atMost(Duration.ofSeconds(10)).until(holder::tryAcquirePermission);
    assertThat(holder.getState()).isEqualTo(State.HALF_OPEN);
    holder.onSuccess(1, TimeUnit.MILLISECONDS);
    assertThat(holder.getState()).isEqualTo(State.CLOSED);
    assertThat(other.getState()).as("closed on the holder's word").isEqualTo(State.CLOSED);
    assertThat(bus.holder).as("the lease is given back").isNull();
  }

  @Test
  void aFailedProbeReopensEverywhereAndALeaseNobodyUsesPassesOn() {
    Bus bus = new Bus();
    CircuitBreaker a = breaker();
    CircuitBreaker b = breaker();
    new SharedCircuits(vertx, bus.member("a"), 500, Map.of("p/m", a));
    new SharedCircuits(vertx, bus.member("b"), 500, Map.of("p/m", b));
    bus.holder = "a"; // a holds the lease and never gets traffic: its lease is never given back here
    fail(b);
    fail(b);
    assertThat(a.getState()).isEqualTo(State.OPEN);
    // b's release at its own opening gave nothing back (not its lease): b waits forced open
    bus.holder = "a";
    await().atMost(Duration.ofSeconds(10)).until(() -> b.getState() == State.FORCED_OPEN);
    // the holder's lease "expires": b takes it at its next attempt and may probe
    bus.holder = null;
    await().atMost(Duration.ofSeconds(10)).until(() -> b.getState() == State.HALF_OPEN || b.tryAcquirePermission());
    assertThat(b.getState()).isEqualTo(State.HALF_OPEN);
    b.onError(1, TimeUnit.MILLISECONDS, new RuntimeException("still down"));
    assertThat(b.getState()).isEqualTo(State.OPEN);
    assertThat(a.getState()).as("reopened on b's word").isEqualTo(State.OPEN);
  }
}
