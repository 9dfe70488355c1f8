package dev.salesagent.router.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bulkhead's queue: first come first served, no overtaking, and a waiter that leaves never gets a slot. */
class ProviderSlotsTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() {
    vertx.close();
  }

  @Test
  void freedSlotsGoToWaitersInArrivalOrderOnTheirOwnContexts() {
    ProviderSlots slots = new ProviderSlots(1);
    assertThat(slots.tryAcquire()).isTrue();
    List<String> granted = new CopyOnWriteArrayList<>();
    List<Context> grantedOn = new CopyOnWriteArrayList<>();
    Context[] contexts = {vertx.getOrCreateContext(), vertx.getOrCreateContext(), vertx.getOrCreateContext()};
    for (int i = 0; i < 3; i++) {
      String name = "w" + i;
      Context c = contexts[i];
      assertThat(slots.enqueue(c, v -> {
        grantedOn.add(Vertx.currentContext());
        granted.add(name);
      })).isNotNull();
    }
    assertThat(slots.waiting()).isEqualTo(3);
    assertThat(slots.tryAcquire()).as("a newcomer does not overtake the waiters").isFalse();
    for (int i = 1; i <= 3; i++) {
      slots.release();
      int n = i;
      await().atMost(Duration.ofSeconds(5)).until(() -> granted.size() == n);
      assertThat(slots.available()).as("the slot changed hands without being free").isZero();
    }
    assertThat(granted).containsExactly("w0", "w1", "w2");
    assertThat(grantedOn).containsExactly(contexts);
    slots.release();
    assertThat(slots.available()).isEqualTo(1);
  }

  @Test
  void aWaiterThatLeftNeverGetsASlot() {
    ProviderSlots slots = new ProviderSlots(1);
    assertThat(slots.tryAcquire()).isTrue();
    List<String> granted = new CopyOnWriteArrayList<>();
    Context c = vertx.getOrCreateContext();
    ProviderSlots.Waiter first = slots.enqueue(c, v -> granted.add("first"));
    slots.enqueue(c, v -> granted.add("second"));
    assertThat(slots.leave(first)).isTrue();
    assertThat(slots.leave(first)).as("only once").isFalse();
    slots.release();
    await().atMost(Duration.ofSeconds(5)).until(() -> granted.size() == 1);
    assertThat(granted).containsExactly("second");
  }

  @Test
  void enqueueTakesASlotThatCameFree() {
    ProviderSlots slots = new ProviderSlots(2);
    assertThat(slots.enqueue(vertx.getOrCreateContext(), v -> {})).isNull();
    assertThat(slots.available()).isEqualTo(1);
  }

  @Test
  void slotsNeverExceedTheLimit() {
    ProviderSlots slots = new ProviderSlots(2);
    slots.release();
    assertThat(slots.available()).isEqualTo(2);
    assertThat(slots.tryAcquire()).isTrue();
    assertThat(slots.tryAcquire()).isTrue();
    assertThat(slots.tryAcquire()).isFalse();
  }
}
