package dev.salesagent.router.execution;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.Locale;

/**
 * A target's last circuit-breaker transition: when, from and to which state, and why in words — what an operator asks
 * when traffic moved away from a model ("opened at 14:02: 6 of 8 calls failed"). Shown by {@code GET /v1/providers}.
 */
public record CircuitChange(Instant at, String from, String to, String why) {

  static CircuitChange of(CircuitBreaker.StateTransition t, CircuitBreaker.Metrics m, float thresholdPercent, long openMs) {
    String from = name(t.getFromState());
    String to = name(t.getToState());
    String why = switch (t.getToState()) {
      case OPEN -> t.getFromState() == CircuitBreaker.State.HALF_OPEN
          ? "a half-open probe failed: stays open for " + openMs + " ms more"
          : String.format(Locale.ROOT, "%d of the last %d calls failed (%.0f %%, threshold %.0f %%)",
              m.getNumberOfFailedCalls(), m.getNumberOfBufferedCalls(), m.getFailureRate(), thresholdPercent);
      case HALF_OPEN -> "open for " + openMs + " ms: letting probe calls through";
      case CLOSED -> t.getFromState() == CircuitBreaker.State.HALF_OPEN ? "the half-open probes succeeded" : "reset";
      default -> "moved to " + to;
    };
    return new CircuitChange(Instant.now(), from, to, why);
  }

  private static String name(CircuitBreaker.State s) {
    return s.name().toLowerCase(Locale.ROOT);
  }
}
