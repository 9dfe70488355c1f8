package dev.salesagent.server.auth;

/** What a {@link RateLimiter} said about one request. */
public sealed interface RateDecision {

  /** The request was counted and may go on. */
  Admitted ADMITTED = new Admitted();

  final class Admitted implements RateDecision {
    private Admitted() {}

    @Override
    public String toString() {
      return "Admitted";
    }
  }

  /**
   * The request was not counted.
   *
   * @param retryAfterSeconds whole seconds until one more request fits (rounded up; at least 1): the {@code retry-after}
   */
  record Refused(long retryAfterSeconds) implements RateDecision {
    public Refused {
      if (retryAfterSeconds < 1) throw new IllegalArgumentException("retryAfterSeconds must be at least 1: " + retryAfterSeconds);
    }
  }
}
