package dev.salesagent.router.health;

import static org.junit.jupiter.api.Assertions.*;

import dev.salesagent.router.error.ErrorKind;
import org.junit.jupiter.api.Test;

class ProviderHealthTest {

  @Test
  void consecutiveFailuresMarkDownAndAGoodProbeRecovers() {
    ProviderHealth h = new ProviderHealth("p", true, null, 3, 25).cooldownMs(60_000);
    assertEquals(HealthState.HEALTHY, h.state());
    h.recordFailure(ErrorKind.OVERLOADED, 529);
    h.recordFailure(ErrorKind.OVERLOADED, 529);
    assertNotEquals(HealthState.DOWN, h.state());
    h.recordFailure(ErrorKind.TIMEOUT, null);
    assertEquals(HealthState.DOWN, h.state());
    assertEquals("3 consecutive failures, last timeout", h.reason());
    assertTrue(h.skipped(System.currentTimeMillis()));
    h.recordProbe(true, 200, 12, null);
    assertEquals(HealthState.HEALTHY, h.state());
    assertEquals("probe ok in 12 ms", h.reason());
    assertFalse(h.skipped(System.currentTimeMillis()));
  }

  @Test
  void passiveDownCoolsOffAfterTheCooldown() {
    ProviderHealth h = new ProviderHealth("p", true, null, 1, 25).cooldownMs(0);
    h.recordFailure(ErrorKind.UNAVAILABLE, null);
    assertEquals(HealthState.DOWN, h.state());
    assertFalse(h.skipped(System.currentTimeMillis() + 1), "plans may try it again after the cooldown");
  }

  @Test
  void errorRateMarksDegradedAndAuthenticationMarksDown() {
    ProviderHealth h = new ProviderHealth("p", true, null, 100, 25);
    for (int i = 0; i < 6; i++) h.recordSuccess();
    h.recordFailure(ErrorKind.UPSTREAM_ERROR, 500);
    h.recordSuccess();
    h.recordFailure(ErrorKind.UPSTREAM_ERROR, 500);
    h.recordSuccess();
    h.recordFailure(ErrorKind.UPSTREAM_ERROR, 500);
    assertEquals(HealthState.DEGRADED, h.state());
    assertTrue(h.reason().startsWith("error rate 27%"), h.reason());
    h.recordFailure(ErrorKind.AUTHENTICATION, 401);
    assertEquals(HealthState.DOWN, h.state());
    assertTrue(h.reason().contains("check the provider's API key"));
  }

  @Test
  void unconfiguredStaysUnconfigured() {
    ProviderHealth h = new ProviderHealth("p", false, "P_KEY is not set", 3, 25);
    h.recordProbe(true, 200, 1, null);
    assertEquals(HealthState.UNCONFIGURED, h.state());
    assertEquals("P_KEY is not set", h.reason());
  }
}
