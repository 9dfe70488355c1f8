package dev.salesagent.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SlidingWindowTokenLimiterTest {
  private static final long S = TimeUnit.SECONDS.toNanos(1);

  private static TokenRateLimiter.Decision now(Future<TokenRateLimiter.Decision> f) {
    assertThat(f.isComplete()).isTrue();
    return f.result();
  }

  @Test
  void noSixtySecondWindowAnywhereAdmitsMoreThanTpmTokensAndEveryRetryAfterIsExact() {
    AtomicLong clock = new AtomicLong(5 * S);
    SlidingWindowTokenLimiter limiter = new SlidingWindowTokenLimiter(clock::get);
    int tpm = 1000;
    Random random = new Random(7);
    List<long[]> admitted = new ArrayList<>(); // (time, tokens)
    int refusals = 0;
    for (int i = 0; i < 3000; i++) {
      clock.addAndGet(random.nextInt(4) == 0 ? random.nextInt(20) * S : random.nextInt(800) * 1_000_000L);
      long tokens = 1 + random.nextInt(300);
      TokenRateLimiter.Decision d = now(limiter.reserve("k", tpm, tokens));
      long t = clock.get();
      long inWindow = admitted.stream().filter(e -> e[0] > t - 60 * S).mapToLong(e -> e[1]).sum();
      if (d instanceof TokenRateLimiter.Admitted) {
        assertThat(inWindow + tokens).as("call %d", i).isLessThanOrEqualTo(tpm);
        admitted.add(new long[] {t, tokens});
      } else {
        refusals++;
        assertThat(inWindow + tokens).isGreaterThan(tpm);
        long retry = ((TokenRateLimiter.Refused) d).retryAfterSeconds();
        // at t + retry enough has left for this call to fit, at t + retry - 1 s it had not
        long at = t + retry * S;
        long then = admitted.stream().filter(e -> e[0] > at - 60 * S).mapToLong(e -> e[1]).sum();
        assertThat(then + tokens).isLessThanOrEqualTo(tpm);
        if (retry > 1) {
          long before = t + (retry - 1) * S;
          long earlier = admitted.stream().filter(e -> e[0] > before - 60 * S).mapToLong(e -> e[1]).sum();
          assertThat(earlier + tokens).isGreaterThan(tpm);
        }
      }
    }
    assertThat(refusals).isGreaterThan(100);
    assertThat(admitted.size()).isGreaterThan(100);
    // every window starting at an admitted call's time holds at most tpm
    for (long[] start : admitted) {
      long sum = admitted.stream().filter(e -> e[0] >= start[0] && e[0] < start[0] + 60 * S).mapToLong(e -> e[1]).sum();
      assertThat(sum).isLessThanOrEqualTo(tpm);
    }
  }

  @Test
  void settlingLowersTheCountAndFreesRoomAtOnce() {
    AtomicLong clock = new AtomicLong(S);
    SlidingWindowTokenLimiter limiter = new SlidingWindowTokenLimiter(clock::get);
    TokenRateLimiter.Admitted a = (TokenRateLimiter.Admitted) now(limiter.reserve("k", 100, 80));
    clock.addAndGet(10 * S);
    TokenRateLimiter.Refused r = (TokenRateLimiter.Refused) now(limiter.reserve("k", 100, 30));
    assertThat(r.retryAfterSeconds()).isEqualTo(50); // the 80 leave 60 s after they came
    a.settle(25);
    assertThat(limiter.inWindow("k")).isEqualTo(25);
    assertThat(now(limiter.reserve("k", 100, 30))).isInstanceOf(TokenRateLimiter.Admitted.class);
    assertThat(limiter.inWindow("k")).isEqualTo(55);
    // other keys are untouched
    assertThat(now(limiter.reserve("other", 100, 100))).isInstanceOf(TokenRateLimiter.Admitted.class);
  }

  @Test
  void aSettlementAfterTheEntryLeftChangesNothing() {
    AtomicLong clock = new AtomicLong(S);
    SlidingWindowTokenLimiter limiter = new SlidingWindowTokenLimiter(clock::get);
    TokenRateLimiter.Admitted a = (TokenRateLimiter.Admitted) now(limiter.reserve("k", 100, 60));
    clock.addAndGet(61 * S);
    assertThat(now(limiter.reserve("k", 100, 70))).isInstanceOf(TokenRateLimiter.Admitted.class);
    a.settle(5);
    assertThat(limiter.inWindow("k")).isEqualTo(70);
    limiter.sweep();
    assertThat(limiter.inWindow("k")).isEqualTo(70);
  }

  @Test
  void estimatesOutsideOneToTpmAreTheCallersToRefuse() {
    SlidingWindowTokenLimiter limiter = new SlidingWindowTokenLimiter(() -> 0);
    assertThatThrownBy(() -> limiter.reserve("k", 10, 11)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.reserve("k", 10, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
