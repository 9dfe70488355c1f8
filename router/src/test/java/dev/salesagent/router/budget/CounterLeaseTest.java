package dev.salesagent.router.budget;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The local arithmetic of one lease: what fits, what a flush carries, what an underestimate does. */
class CounterLeaseTest {
  private static final long LIMIT = 1_000;

  private static CounterLease lease() {
    return new CounterLease("c", "l", "0", true);
  }

  @Test
  void claimsFitInTheUnusedPartOnly() {
    CounterLease l = lease();
    assertThat(l.tryTake(1, LIMIT, 0)).isFalse(); // nothing leased yet
    l.granted(100, 40, 0, false, LIMIT); // 100 leased, the asking claim's 40 taken under it
    assertThat(l.tryTake(60, LIMIT, 0)).isTrue();
    assertThat(l.tryTake(1, LIMIT, 0)).isFalse();
    l.untake(60);
    assertThat(l.tryTake(60, LIMIT, 0)).isTrue();
  }

  @Test
  void aFlushCarriesTheSpendAndShrinksTheLeaseByIt() {
    CounterLease l = lease();
    l.granted(100, 40, 0, false, LIMIT);
    assertThat(l.settle(40, 30, 5)).isEqualTo(CounterLease.SETTLED);
    // spend 30 to add, 30 taken from the lease; the unused 70 stays leased (not idle, not near the limit)
    assertThat(l.drain(false, 1, 10)).containsExactly(30, 30, 0);
    assertThat(l.drain(false, 2, 10)).isNull();
    assertThat(l.tryTake(70, LIMIT, 2)).isTrue();
    assertThat(l.tryTake(1, LIMIT, 2)).isFalse();
  }

  @Test
  void anIdleOrNearTheLimitLeaseGivesBackItsUnusedPart() {
    CounterLease idle = lease();
    idle.granted(100, 40, 0, false, LIMIT);
    assertThat(idle.drain(false, 9, 10)).isNull();
    assertThat(idle.drain(false, 10, 10)).containsExactly(0, 0, 60); // what the open claim holds stays
    CounterLease tight = lease();
    tight.granted(40, 40, 0, true, LIMIT);
    assertThat(tight.settle(40, 25, 5)).isEqualTo(CounterLease.SETTLED_TIGHT);
    assertThat(tight.drain(false, 0, 10)).containsExactly(25, 25, 15);
  }

  @Test
  void anUnderestimateSpendsBeyondTheLeaseButTakesNoMoreFromItThanItHolds() {
    CounterLease l = lease();
    l.granted(100, 40, 0, false, LIMIT);
    assertThat(l.tryTake(50, LIMIT, 0)).isTrue();
    l.settle(40, 70, 5); // 30 over its reservation
    assertThat(l.tryTake(1, LIMIT, 0)).isFalse(); // 100 - 50 held - 70 consumed < 0
    assertThat(l.drain(false, 1, 10)).containsExactly(70, 70, 0);
    l.settle(50, 50, 6);
    // the lease had 30 left: the flush takes 30 from it and adds all 50 to spent (the 20 beyond is the excess)
    assertThat(l.drain(false, 2, 10)).containsExactly(50, 30, 0);
  }

  @Test
  void undrainPutsBackWhatAScriptThatDidNotRunTook() {
    CounterLease l = lease();
    l.granted(100, 40, 0, false, LIMIT);
    l.settle(40, 30, 5);
    long[] d = l.drain(true, 1, 10);
    assertThat(d).containsExactly(30, 30, 70);
    assertThat(l.tryTake(1, LIMIT, 1)).isFalse();
    assertThat(l.undrain(d)).isTrue();
    assertThat(l.tryTake(70, LIMIT, 1)).isTrue();
    assertThat(l.drain(false, 1, 10)).containsExactly(30, 30, 0);
  }

  @Test
  void aLoweredLimitStopsLocalClaimsAndARetiredLeaseTakesNothing() {
    CounterLease l = lease();
    l.granted(100, 0, 0, false, LIMIT);
    assertThat(l.tryTake(10, LIMIT - 1, 0)).isFalse();
    assertThat(l.tryTake(10, LIMIT + 1, 0)).isTrue(); // raised: the lease is still within it
    l.settle(10, 10, 7);
    assertThat(l.retire()).containsExactly(10, 7); // the unflushed spend, and when it was settled
    assertThat(l.tryTake(1, LIMIT, 0)).isFalse();
    assertThat(l.settle(1, 1, 8)).isEqualTo(CounterLease.RETIRED);
    assertThat(l.addSpend(1, 8)).isFalse();
    assertThat(l.undrain(new long[] {1, 0, 0})).isFalse();
  }
}
