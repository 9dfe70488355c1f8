package dev.salesagent.router.resilience;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void exponentialCeilingWithFullJitterAndRetryAfterWins() {
    Backoff b = new Backoff(100, 1000);
    assertEquals(100, b.ceilingMs(1));
    assertEquals(200, b.ceilingMs(2));
    assertEquals(400, b.ceilingMs(3));
    assertEquals(1000, b.ceilingMs(5));
    assertEquals(1000, b.ceilingMs(60), "no overflow");
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2000; i++) {
      long d = b.delayMs(3, null);
      assertTrue(d >= 0 && d <= 400);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertTrue(min < 50 && max > 350, "full jitter spans [0, ceiling]: " + min + ".." + max);
    assertEquals(2000, b.delayMs(1, Duration.ofSeconds(2)));
  }
}
