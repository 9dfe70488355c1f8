package dev.salesagent.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-process limiter against the {@link RateLimiter} contract, on a clock the test moves (no sleeping). */
class SlidingWindowRateLimiterTest {
  static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  static final long WINDOW = 60 * SECOND;

  final AtomicLong now = new AtomicLong(1_000 * SECOND);
  final SlidingWindowRateLimiter limiter = new SlidingWindowRateLimiter(now::get);

  RateDecision acquire(String key, int rpm) {
    return limiter.acquire(key, rpm).result();
  }

  @Test
  void noBurstAtTheMinuteEdgeThatAFixedWindowWouldAllow() {
    // a fixed clock minute admits rpm at 0:59.9 and rpm more at 1:00.0; the sliding window admits rpm in any 60 s
    now.set(59 * SECOND + SECOND * 9 / 10);
    for (int i = 0; i < 5; i++) assertThat(acquire("k", 5)).isSameAs(RateDecision.ADMITTED);
    now.set(60 * SECOND);
    RateDecision d = acquire("k", 5);
    assertThat(d).isEqualTo(new RateDecision.Refused(60));
    now.set(59 * SECOND + SECOND * 9 / 10 + WINDOW - 1);
    assertThat(acquire("k", 5)).isEqualTo(new RateDecision.Refused(1));
    now.set(59 * SECOND + SECOND * 9 / 10 + WINDOW);
    for (int i = 0; i < 5; i++) assertThat(acquire("k", 5)).isSameAs(RateDecision.ADMITTED);
    assertThat(acquire("k", 5)).isInstanceOf(RateDecision.Refused.class);
  }

  @Test
  void retryAfterIsTheWaitForTheOldestCountedRequestRoundedUp() {
    now.set(0);
    acquire("k", 2);                       // t = 0
    now.set(10 * SECOND + 1);
    acquire("k", 2);                       // t = 10 s + 1 ns
    now.set(30 * SECOND);
    assertThat(acquire("k", 2)).isEqualTo(new RateDecision.Refused(30));   // the first leaves at 60 s
    now.set(59 * SECOND + 1);
    assertThat(acquire("k", 2)).isEqualTo(new RateDecision.Refused(1));    // 1 s - 1 ns, rounded up
    now.set(60 * SECOND);
    assertThat(acquire("k", 2)).isSameAs(RateDecision.ADMITTED);
    assertThat(acquire("k", 2)).isEqualTo(new RateDecision.Refused(11));   // 10 s + 1 ns, rounded up
  }

  @Test
  void keysAreCountedApartAndRefusalsAreNotCounted() {
    for (int i = 0; i < 3; i++) assertThat(acquire("a", 3)).isSameAs(RateDecision.ADMITTED);
    for (int i = 0; i < 100; i++) assertThat(acquire("a", 3)).isInstanceOf(RateDecision.Refused.class);
    for (int i = 0; i < 3; i++) assertThat(acquire("b", 3)).isSameAs(RateDecision.ADMITTED);
    now.addAndGet(WINDOW);
    for (int i = 0; i < 3; i++) assertThat(acquire("a", 3)).isSameAs(RateDecision.ADMITTED);
  }

  @Test
  void aChangedLimitAppliesToWhatTheWindowAlreadyHolds() {
    for (int i = 0; i < 6; i++) {
      assertThat(acquire("k", 10)).isSameAs(RateDecision.ADMITTED);
      now.addAndGet(SECOND);
    }
    // six in the window, limit now 4: three must leave before one more fits; the third left at 0 + 2 s + 60 s
    assertThat(acquire("k", 4)).isEqualTo(new RateDecision.Refused(62 - 6));
    assertThat(acquire("k", 7)).isSameAs(RateDecision.ADMITTED);
    assertThat(acquire("k", 7)).isEqualTo(new RateDecision.Refused(60 - 6));
  }

  @Test
  void idleKeysAreForgotten() {
    for (int k = 0; k < 50; k++) acquire("key-" + k, 1);
    assertThat(limiter.trackedKeys()).isEqualTo(50);
    now.addAndGet(WINDOW - 1);
    limiter.sweep();
    assertThat(limiter.trackedKeys()).isEqualTo(50);
    now.addAndGet(1);
    acquire("busy", 1);
    limiter.sweep();
    assertThat(limiter.trackedKeys()).isEqualTo(1);
    // the sweep also runs by itself every SWEEP_EVERY calls
    for (int k = 0; k < 10; k++) acquire("other-" + k, 1);
    now.addAndGet(WINDOW);
    for (int i = 0; i < SlidingWindowRateLimiter.SWEEP_EVERY; i++) acquire("busy", 1);
    assertThat(limiter.trackedKeys()).isEqualTo(1);
  }

  @Test
  void rejectsANonPositiveLimit() {
    assertThatThrownBy(() -> limiter.acquire("k", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Property: for random arrival times and limits, (1) no 60 s window, wherever it starts, holds more than rpm
   * admitted requests; (2) a request is refused only when rpm admitted requests are already inside the window that
   * ends at it; (3) its retry-after is exactly the whole seconds, rounded up, until one of them leaves — a retry that
   * early is admitted, one a second earlier is not. Checked against a brute-force count over the admitted history.
   */
  @Test
  void anySixtySecondWindowHoldsAtMostRpmAndRetryAfterIsExact() {
    for (int seed = 0; seed < 300; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      int rpm = 1 + r.nextInt(seed % 3 == 0 ? 3 : 40);
      AtomicLong clock = new AtomicLong(r.nextLong(Long.MAX_VALUE / 2) - Long.MAX_VALUE / 4);
      SlidingWindowRateLimiter l = new SlidingWindowRateLimiter(clock::get);
      List<Long> admitted = new ArrayList<>();
      // bursts, trickles and pauses: gaps from 0 to 2 min, mostly short enough to fill the window, with ties
      long meanGap = WINDOW / rpm / (2 + r.nextInt(4));
      int refusals = 0;
      for (int i = 0; i < 400; i++) {
        int kind = r.nextInt(80);
        long gap = kind == 0 ? r.nextLong(2 * WINDOW)
            : kind < 12 ? 0
            : kind < 20 ? r.nextLong(1000)
            : r.nextLong(2 * meanGap + 1);
        long t = clock.addAndGet(gap);
        int inWindow = countIn(admitted, t - WINDOW, t);
        RateDecision d = l.acquire("k", rpm).result();
        if (inWindow < rpm) {
          assertThat(d).as("seed %d request %d: room in the window", seed, i).isSameAs(RateDecision.ADMITTED);
          admitted.add(t);
        } else {
          refusals++;
          assertThat(d).as("seed %d request %d: window full", seed, i).isInstanceOf(RateDecision.Refused.class);
          long oldestInWindow = admitted.get(admitted.size() - inWindow);
          long waitNanos = oldestInWindow + WINDOW - t;
          long retryAfter = ((RateDecision.Refused) d).retryAfterSeconds();
          assertThat(retryAfter).as("seed %d request %d", seed, i).isEqualTo((waitNanos + SECOND - 1) / SECOND);
          assertThat(countIn(admitted, t + retryAfter * SECOND - WINDOW, t + retryAfter * SECOND)).isLessThan(rpm);
          if (retryAfter > 1) {
            long early = t + (retryAfter - 1) * SECOND;
            assertThat(countIn(admitted, early - WINDOW, early)).isEqualTo(rpm);
          }
        }
      }
      assertThat(refusals).as("seed %d exercises refusals", seed).isPositive();
      // (1) the densest window starts at an admitted request
      for (int i = 0; i < admitted.size(); i++) {
        long start = admitted.get(i);
        int n = 0;
        for (int j = i; j < admitted.size() && admitted.get(j) - start < WINDOW; j++) n++;
        assertThat(n).as("seed %d: window from admitted request %d", seed, i).isLessThanOrEqualTo(rpm);
      }
    }
  }

  @Test
  void concurrentCallersAtOneInstantGetExactlyRpm() throws InterruptedException {
    int threads = 8;
    int rpm = 1000;
    AtomicInteger ok = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int j = 0; j < 500; j++) if (limiter.acquire("shared", rpm).result() == RateDecision.ADMITTED) ok.incrementAndGet();
      });
      t.start();
      ts.add(t);
    }
    start.countDown();
    for (Thread t : ts) t.join();
    assertThat(ok.get()).isEqualTo(rpm);
  }

  /** Admitted times in {@code (from, to]}. */
  private static int countIn(List<Long> times, long from, long to) {
    int n = 0;
    for (long t : times) if (t - from > 0 && t - to <= 0) n++;
    return n;
  }
}
