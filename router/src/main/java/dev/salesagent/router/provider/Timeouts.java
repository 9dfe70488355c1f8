package dev.salesagent.router.provider;

/** Time limits in milliseconds (configuration key {@code resilience.timeouts}, overridable per provider). */
public record Timeouts(long connectMs, long firstTokenMs, long idleMs, long totalMs) {
  public static final Timeouts DEFAULT = new Timeouts(5_000, 10_000, 10_000, 60_000);

  public Timeouts {
    if (connectMs <= 0 || firstTokenMs <= 0 || idleMs <= 0 || totalMs <= 0) {
      throw new IllegalArgumentException("timeouts must be positive: " + connectMs + "/" + firstTokenMs + "/" + idleMs + "/" + totalMs);
    }
  }
}
