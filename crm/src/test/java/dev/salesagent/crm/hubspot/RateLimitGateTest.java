package dev.salesagent.crm.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimitGateTest {
  static final long MS = 1_000_000L;

  @Test
  void aWindowWithRequestsLeftImposesNoWait() {
    RateLimitGate g = new RateLimitGate();
    assertThat(g.observe(200, "99", "10000", null, 0)).isZero();
    assertThat(g.delayMs(0)).isZero();
  }

  @Test
  void aUsedUpWindowWaitsOneIntervalBeforeTheNextRequest() {
    RateLimitGate g = new RateLimitGate();
    assertThat(g.observe(200, "0", "10000", null, 5 * MS)).isEqualTo(10_000);
    assertThat(g.delayMs(5 * MS)).isEqualTo(10_000);
    assertThat(g.delayMs(5_005 * MS)).isEqualTo(5_000);
    assertThat(g.delayMs(10_005 * MS)).isZero();
  }

  @Test
  void a429WaitsTheIntervalOrALongerRetryAfter() {
    RateLimitGate g = new RateLimitGate();
    assertThat(g.observe(429, "0", "10000", null, 0)).isEqualTo(10_000);
    RateLimitGate h = new RateLimitGate();
    assertThat(h.observe(429, null, null, "30", 0)).isEqualTo(30_000);
    RateLimitGate i = new RateLimitGate();
    assertThat(i.observe(429, null, "250", null, 0)).isEqualTo(250); // the interval HubSpot states, not a fixed 10 s
  }

  @Test
  void anEarlierWaitIsNeverShortenedByALaterAnswer() {
    RateLimitGate g = new RateLimitGate();
    g.observe(429, null, "10000", null, 0);
    g.observe(200, "50", "10000", null, MS);
    assertThat(g.delayMs(MS)).isEqualTo(9_999);
  }

  @Test
  void headersThatAreNotNumbersAreIgnored() {
    RateLimitGate g = new RateLimitGate();
    assertThat(g.observe(200, "lots", "soon", null, 0)).isZero();
  }
}
